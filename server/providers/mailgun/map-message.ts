import type { MailgunMessageData } from "mailgun.js/definitions";
import { base64ToBuffer, formatAddress, isReservedHeader, mergedMetadata, mergedTags, overrideBody } from "../shared/message-fields";
import type { OutboundMessage } from "../types";

/** Mailgun takes up to 10 tags per message. */
const MAX_TAGS = 10;
const MAILGUN_OPTIONS = new Set(["o:tracking", "o:tracking-clicks", "o:tracking-opens", "o:dkim", "o:require-tls", "o:sending-ip-pool"]);

/**
 * Multipart form fields: `o:tag` repeated for tags, one `v:<key>` per metadata entry (Mailgun echoes them
 * as `user-variables` on every event), `h:<Name>` for headers. An override body adds its `o:` options,
 * `h:` headers and `v:` variables (courierx_email_id stays ours) and its tags after ours.
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
  const override = overrideBody(message);
  if (message.replyTo) data["h:Reply-To"] = message.replyTo;
  const tags = mergedTags(message.tags, override["o:tag"], MAX_TAGS);
  if (tags.length > 0) data["o:tag"] = tags;
  for (const [key, value] of Object.entries(override)) {
    if (key === "o:tag" || typeof value !== "string") continue;
    if (MAILGUN_OPTIONS.has(key) || (key.startsWith("h:") && !isReservedHeader(key.slice(2)))) data[key] = value;
  }
  const variables = Object.fromEntries(Object.entries(override).filter(([key]) => key.startsWith("v:")).map(([key, value]) => [key.slice(2), value]));
  for (const [key, value] of Object.entries(mergedMetadata(message, variables))) data[`v:${key}`] = value;
  for (const [name, value] of Object.entries(message.headers)) data[`h:${name}`] ??= value;
  if (message.attachments.length > 0) {
    data.attachment = message.attachments.map((attachment) => ({
      filename: attachment.filename,
      data: base64ToBuffer(attachment.content),
      contentType: attachment.contentType,
    }));
  }
  return data;
}
