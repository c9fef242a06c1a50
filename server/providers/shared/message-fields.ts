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

/**
 * Headers only we (or the SDK) write: the send schema's reserved names and our correlation headers. The
 * override schema refuses them; mappings drop them from override bodies too, in case one got past it.
 */
export const RESERVED_HEADERS: ReadonlySet<string> = new Set([
  "from", "to", "cc", "bcc", "subject", "reply-to", "sender", "date", "message-id", "content-type", "content-transfer-encoding", "mime-version", "return-path",
  "x-courierx-email-id", "x-courierx-metadata", "x-courierx-tags",
]);

/**
 * Headers a provider acts on as instructions rather than passing on: SendGrid's X-SMTPAPI (recipients),
 * every X-Mailgun-* (recipient variables, test mode, delivery time, skipped TLS verification, the
 * user-variables events are matched by) and every X-SES-* (identity ARNs, configuration set, the message
 * tags events are matched by). From a send or an override they would slip past the suppression check, the
 * refusal of test modes and schedules, or our event correlation, so both refuse them and mappings drop them.
 */
const PROVIDER_INSTRUCTION_HEADER = /^(x-smtpapi$|x-mailgun-|x-ses-)/;

function isProviderInstructionHeader(normalized: string): boolean {
  return PROVIDER_INSTRUCTION_HEADER.test(normalized);
}

export function isReservedHeader(name: string): boolean {
  const normalized = name.trim().toLowerCase();
  return RESERVED_HEADERS.has(normalized) || isProviderInstructionHeader(normalized);
}

/** Why a send or an override may not set this header; undefined when it may. */
export function reservedHeaderProblem(name: string): string | undefined {
  const normalized = name.trim().toLowerCase();
  if (RESERVED_HEADERS.has(normalized)) return "names may not override From, To, Subject or other reserved headers";
  if (isProviderInstructionHeader(normalized)) return "names may not be headers a provider acts on (X-SMTPAPI, X-Mailgun-*, X-SES-*): they would change the recipients, the schedule or the event matching, or drop the email";
  return undefined;
}

/** Headers (a send's stored ones, or an override's) as name → value, reserved names dropped. */
export function overrideHeaders(value: unknown): Record<string, string> {
  if (typeof value !== "object" || value === null) return {};
  const pairs = Array.isArray(value)
    ? value.map((h: { Name?: unknown; Value?: unknown }) => [String(h.Name), String(h.Value)] as const)
    : Object.entries(value).map(([name, v]) => [name, String(v)] as const);
  return Object.fromEntries(pairs.filter(([name]) => !isReservedHeader(name)));
}

/** This message's override body (validated at accept time); `{}` without one. */
export function overrideBody(message: OutboundMessage): Record<string, unknown> {
  return message.overrides?.body ?? {};
}

/**
 * Only the named fields of an override body, so that whatever else a body might hold never reaches an
 * SDK even if it escaped validation; the allowlists themselves live in services/emails/provider-overrides.ts.
 */
export function pickFields<K extends string>(body: Record<string, unknown>, keys: readonly K[]): Partial<Record<K, unknown>> {
  const picked: Partial<Record<K, unknown>> = {};
  for (const key of keys) if (body[key] !== undefined) picked[key] = body[key];
  return picked;
}

/** Override values over the message's metadata; our email id always last, so correlation holds. */
export function mergedMetadata(message: OutboundMessage, extra: unknown): Record<string, string> {
  const theirs = typeof extra === "object" && extra !== null ? Object.fromEntries(Object.entries(extra).map(([k, v]) => [k, String(v)])) : {};
  return { ...message.metadata, ...theirs, [EMAIL_ID_METADATA_KEY]: message.emailId };
}

/** Name/value lists merged by name: later lists replace earlier entries of the same name. */
export function mergeByName<T>(nameOf: (item: T) => string, ...lists: readonly T[][]): T[] {
  const merged = new Map<string, T>();
  for (const list of lists) for (const item of list) merged.set(nameOf(item).toLowerCase(), item);
  return [...merged.values()];
}

/** Our tags first, then the override's, once each, within the provider's cap. */
export function mergedTags(ours: readonly string[], theirs: unknown, max: number): string[] {
  const extra = typeof theirs === "string" ? [theirs] : Array.isArray(theirs) ? theirs.map(String) : [];
  return [...new Set([...ours, ...extra])].slice(0, max);
}
