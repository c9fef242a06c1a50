import type { MailgunMessageData } from "mailgun.js/definitions";
import { base64ToBuffer, formatAddress, metadataWithEmailId } from "../shared/message-fields";
import type { OutboundMessage } from "../types";

/**
 * Multipart form fields: `o:tag` repeated for tags, one `v:<key>` per metadata entry (Mailgun echoes them
 * as `user-variables` on every event), `h:<Name>` for headers.
 */
export function toMailgunMessage(message: OutboundMessage): MailgunMessageData {
  const content =
    message.html !== undefined
      ? { html: message.html, ...(message.text !== undefined ? { text: message.text } : {}) }
      : { text: message.text ?? "" };
  const data: MailgunMessageData = {
    from: formatAddress(message.from, message.fromName),
    to: [formatAddress(message.to, message.toName)],
    subject: message.subject,
    ...content,
  };
  if (message.replyTo) data["h:Reply-To"] = message.replyTo;
  if (message.tags.length > 0) data["o:tag"] = [...message.tags];
  for (const [key, value] of Object.entries(metadataWithEmailId(message))) data[`v:${key}`] = value;
  for (const [name, value] of Object.entries(message.headers)) data[`h:${name}`] = value;
  if (message.attachments.length > 0) {
    data.attachment = message.attachments.map((attachment) => ({
      filename: attachment.filename,
      data: base64ToBuffer(attachment.content),
      contentType: attachment.contentType,
    }));
  }
  return data;
}
