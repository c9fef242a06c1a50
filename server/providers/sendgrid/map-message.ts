import type { MailDataRequired } from "@sendgrid/mail";
import { metadataWithEmailId } from "../shared/message-fields";
import type { OutboundMessage } from "../types";

/** SendGrid documents a cap of 10 categories per message. */
const MAX_CATEGORIES = 10;

export function toSendgridMail(message: OutboundMessage): MailDataRequired {
  const body = message.html !== undefined ? { html: message.html, ...(message.text !== undefined ? { text: message.text } : {}) } : { text: message.text ?? "" };
  return {
    from: { email: message.from, ...(message.fromName ? { name: message.fromName } : {}) },
    to: { email: message.to, ...(message.toName ? { name: message.toName } : {}) },
    ...(message.replyTo ? { replyTo: message.replyTo } : {}),
    subject: message.subject,
    ...body,
    ...(message.tags.length > 0 ? { categories: message.tags.slice(0, MAX_CATEGORIES) } : {}),
    // custom_args come back as top-level keys on every event webhook entry.
    customArgs: metadataWithEmailId(message),
    ...(Object.keys(message.headers).length > 0 ? { headers: { ...message.headers } } : {}),
    ...(message.attachments.length > 0
      ? {
          attachments: message.attachments.map((attachment) => ({
            content: attachment.content,
            filename: attachment.filename,
            type: attachment.contentType,
            disposition: "attachment",
          })),
        }
      : {}),
  };
}
