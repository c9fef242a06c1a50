import type { CreateEmailOptions } from "resend";
import { formatAddress, tagPairs } from "../shared/message-fields";
import type { OutboundMessage } from "../types";

/**
 * Resend's only metadata channel is `tags` (echoed on every webhook as `data.tags`), restricted to
 * [A-Za-z0-9_-]: tags become `name=true` and metadata `key=value`, both sanitised.
 */
export function toResendEmail(message: OutboundMessage): CreateEmailOptions {
  const base = {
    from: formatAddress(message.from, message.fromName),
    to: [formatAddress(message.to, message.toName)],
    ...(message.replyTo ? { replyTo: message.replyTo } : {}),
    subject: message.subject,
    tags: tagPairs(message),
    ...(Object.keys(message.headers).length > 0 ? { headers: { ...message.headers } } : {}),
    ...(message.attachments.length > 0
      ? {
          attachments: message.attachments.map((attachment) => ({
            filename: attachment.filename,
            content: attachment.content,
            contentType: attachment.contentType,
          })),
        }
      : {}),
  };
  if (message.html !== undefined) return { ...base, html: message.html, ...(message.text !== undefined ? { text: message.text } : {}) };
  return { ...base, text: message.text ?? "" };
}
