import type { CreateEmailOptions } from "resend";
import { EMAIL_ID_METADATA_KEY, formatAddress, mergeByName, overrideBody, overrideHeaders, tagPairs } from "../shared/message-fields";
import type { OutboundMessage } from "../types";

/**
 * Resend's only metadata channel is `tags` (echoed on every webhook as `data.tags`), restricted to
 * [A-Za-z0-9_-]: tags become `name=true` and metadata `key=value`, both sanitised. An override body adds
 * headers and tags (replacing ours of the same name, never courierx_email_id).
 */
export function toResendEmail(message: OutboundMessage): CreateEmailOptions {
  const override = overrideBody(message);
  const ours = tagPairs(message);
  const theirs = (override.tags as { name: string; value: string }[] | undefined) ?? [];
  const tags = mergeByName((tag) => tag.name, ours, theirs, ours.filter((tag) => tag.name === EMAIL_ID_METADATA_KEY));
  const headers = { ...message.headers, ...overrideHeaders(override.headers) };
  const base = {
    from: formatAddress(message.from, message.fromName),
    to: [formatAddress(message.to, message.toName)],
    ...(message.replyTo ? { replyTo: message.replyTo } : {}),
    subject: message.subject,
    tags,
    ...(Object.keys(headers).length > 0 ? { headers } : {}),
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
