import type Mail from "nodemailer/lib/mailer";
import { metadataWithEmailId, overrideBody, overrideHeaders, pickFields } from "../shared/message-fields";
import type { OutboundMessage } from "../types";

/**
 * Plain SMTP has no metadata channel, so correlation data travels as X- headers (kept in bounce DSNs).
 * Metadata is `key=value; key=value` with both sides percent-encoded: readable, and free of the quotes
 * that would make nodemailer wrap a JSON value in an encoded-word.
 * The Message-ID is derived from our email id so that a retry after an ambiguous failure carries the
 * same id, which receiving systems use to drop duplicates.
 *
 * An override body (nodemailer's own option names) adds attachments after ours, headers, priority, list
 * headers, inReplyTo, references and textEncoding. Files and URLs are never read for any attachment.
 */
export function toNodemailerMessage(message: OutboundMessage): Mail.Options {
  const override = overrideBody(message);
  const headers: Record<string, string> = {
    ...message.headers,
    ...overrideHeaders(override.headers),
    "X-CourierX-Email-Id": message.emailId,
    "X-CourierX-Metadata": Object.entries(metadataWithEmailId(message))
      .map(([key, value]) => `${encodeURIComponent(key)}=${encodeURIComponent(value)}`)
      .join("; "),
  };
  if (message.tags.length > 0) headers["X-CourierX-Tags"] = message.tags.join(", ");
  return {
    from: message.fromName ? { name: message.fromName, address: message.from } : message.from,
    to: message.toName ? { name: message.toName, address: message.to } : message.to,
    ...(message.replyTo ? { replyTo: message.replyTo } : {}),
    subject: message.subject,
    ...(message.text !== undefined ? { text: message.text } : {}),
    ...(message.html !== undefined ? { html: message.html } : {}),
    headers,
    messageId: `<${message.emailId.replace(/[^A-Za-z0-9._-]/g, "_")}@${domainOf(message.from)}>`,
    attachments: [
      ...message.attachments.map((attachment) => ({
        filename: attachment.filename,
        content: attachment.content,
        encoding: "base64",
        contentType: attachment.contentType,
      })),
      ...overrideAttachments(override.attachments),
    ],
    ...(pickFields(override, ["priority", "inReplyTo", "references", "textEncoding"]) as Partial<Mail.Options>),
    ...overrideList(override.list),
    // An attachment with a path or href would make nodemailer read a local file or fetch a URL.
    disableFileAccess: true,
    disableUrlAccess: true,
  };
}

const LIST_KEYS = ["help", "unsubscribe", "subscribe", "post", "owner", "archive"] as const;

/**
 * nodemailer writes each `list` key as a prepared List-<key> header, and an object value's `comment` as
 * it is: only the allowlisted keys, with string values (one line each), ever reach it.
 */
function overrideList(value: unknown): Pick<Mail.Options, "list"> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return {};
  const list: Record<string, string | string[]> = {};
  for (const key of LIST_KEYS) {
    const entry: unknown = Object.hasOwn(value, key) ? (value as Record<string, unknown>)[key] : undefined;
    const lines = (Array.isArray(entry) ? entry : [entry]).filter((v): v is string => typeof v === "string" && !/[\r\n]/.test(v));
    if (lines.length > 0) list[key] = Array.isArray(entry) ? lines : lines[0]!;
  }
  return Object.keys(list).length > 0 ? { list: list as Mail.Options["list"] } : {};
}

/** Base64 content only, whatever else an entry holds (path, href and raw are dropped, not followed). */
function overrideAttachments(value: unknown): Mail.Attachment[] {
  if (!Array.isArray(value)) return [];
  return value.map((entry: Record<string, unknown>) => ({
    filename: String(entry.filename),
    content: String(entry.content),
    encoding: "base64",
    ...(typeof entry.contentType === "string" ? { contentType: entry.contentType } : {}),
    ...(typeof entry.cid === "string" ? { cid: entry.cid } : {}),
    ...(entry.contentDisposition === "inline" || entry.contentDisposition === "attachment" ? { contentDisposition: entry.contentDisposition } : {}),
  }));
}

function domainOf(address: string): string {
  const at = address.lastIndexOf("@");
  const domain = at >= 0 ? address.slice(at + 1).replace(/[^A-Za-z0-9.-]/g, "") : "";
  return domain || "courierx.invalid";
}
