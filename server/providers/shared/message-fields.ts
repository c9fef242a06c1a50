import type { OutboundMessage } from "../types";

/** Metadata key every provider echoes back in its events, so a webhook can be tied to our email row. */
export const EMAIL_ID_METADATA_KEY = "courierx_email_id";

/** The message's metadata plus our email id; the id always wins so correlation cannot be overridden. */
export function metadataWithEmailId(message: OutboundMessage): Record<string, string> {
  return { ...message.metadata, [EMAIL_ID_METADATA_KEY]: message.emailId };
}

const ATEXT_PHRASE = /^[A-Za-z0-9!#$%&'*+\-/=?^_`{|}~ ]*$/;

/**
 * RFC 5322 mailbox: `Name <email>`. Names with specials are quoted; with `encodeNonAscii` a non-ASCII
 * name becomes an RFC 2047 encoded-word, which SES requires for display names.
 */
export function formatAddress(email: string, name?: string, options: { encodeNonAscii?: boolean } = {}): string {
  if (name === undefined || name.trim() === "") return email;
  const oneLine = name.replace(/[\r\n]+/g, " ").trim();
  if (options.encodeNonAscii && /[^\x20-\x7e]/.test(oneLine)) {
    return `=?UTF-8?B?${Buffer.from(oneLine, "utf8").toString("base64")}?= <${email}>`;
  }
  if (ATEXT_PHRASE.test(oneLine)) return `${oneLine} <${email}>`;
  return `"${oneLine.replace(/(["\\])/g, "\\$1")}" <${email}>`;
}

const TAG_UNSAFE = /[^A-Za-z0-9_-]/g;

/** SES EmailTags and Resend tags accept only ASCII letters, digits, `_` and `-`, up to 256 characters. */
export function sanitizeTagPart(value: string): string {
  const cleaned = value.replace(TAG_UNSAFE, "_").slice(0, 256);
  return cleaned === "" ? "_" : cleaned;
}

/**
 * Tags and metadata as name/value pairs for providers with one tag channel. A tag becomes `name=true`;
 * metadata is added last so its values win on a clash; names are unique because events echo the pairs
 * back as an object.
 */
export function tagPairs(message: OutboundMessage): { name: string; value: string }[] {
  const pairs = new Map<string, string>();
  for (const tag of message.tags) pairs.set(sanitizeTagPart(tag), "true");
  for (const [key, value] of Object.entries(metadataWithEmailId(message))) {
    pairs.set(sanitizeTagPart(key), sanitizeTagPart(value));
  }
  return [...pairs].map(([name, value]) => ({ name, value }));
}

export function base64ToBuffer(content: string): Buffer {
  return Buffer.from(content, "base64");
}
