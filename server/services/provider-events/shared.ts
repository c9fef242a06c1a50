/**
 * What the five provider-event receivers share: the request as received (raw bytes, never re-serialized,
 * since every signature is over them), refusals the route turns into statuses, freshness windows, and
 * readers that turn untrusted payload values into safe event fields. A verified payload is still input:
 * every string is cut to a sane length and cleaned of what PostgreSQL cannot store, ids are checked
 * before they reach a uuid column, and dates outside a plausible range fall back to the receipt time.
 */
import { createHash } from "node:crypto";
import { isUuid } from "../../lib/ids";
import { storableText } from "../../lib/text";
import { EMAIL_ID_METADATA_KEY } from "../../providers/shared/message-fields";
import { asRecord } from "../../providers/shared/records";
import type { ProviderEvent, ProviderEventType } from "../events/event-types";

export interface WebhookRequest {
  rawBody: Buffer;
  headers: Headers;
  /** The receipt time: freshness windows and the fallback event time. */
  now: Date;
}

/**
 * Why a request is refused: `unauthorized` (missing, wrong or stale authentication: 401, nothing
 * recorded), `malformed` (authentic but not a payload we can read: 400), `too_large` (413), `upstream`
 * (authentic, but a call we must make for it failed, e.g. an SNS subscription confirmation: 502, so the
 * provider tries again). `reason` goes to the log only; the caller learns nothing from it.
 */
export class WebhookRefusal extends Error {
  constructor(
    readonly kind: "unauthorized" | "malformed" | "too_large" | "upstream",
    readonly reason: string,
  ) {
    super(reason);
    this.name = "WebhookRefusal";
  }
}

export const unauthorized = (reason: string) => new WebhookRefusal("unauthorized", reason);
export const malformed = (reason: string) => new WebhookRefusal("malformed", reason);

export function isWebhookRefusal(error: unknown): error is WebhookRefusal {
  return error instanceof WebhookRefusal;
}

/** SendGrid, Mailgun: how far a signed timestamp may be from our clock, either way. */
export const SIGNED_TIMESTAMP_WINDOW_MS = 10 * 60_000;

/** Refuses a signed timestamp (unix seconds, as sent) outside `windowMs` of now, in either direction. */
export function assertFresh(timestamp: string | undefined, windowMs: number, now: Date): number {
  if (timestamp === undefined || !/^\d{1,12}(\.\d{1,9})?$/.test(timestamp.trim())) throw unauthorized("missing or malformed timestamp");
  const seconds = Number(timestamp.trim());
  if (Math.abs(now.getTime() - seconds * 1000) > windowMs) throw unauthorized("stale timestamp");
  return seconds;
}

/** The body as JSON (BOM tolerated); anything else is a malformed payload. */
export function parseJsonBody(raw: Buffer): unknown {
  const text = raw.toString("utf8").replace(/^\uFEFF/, "");
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw malformed("body is not JSON");
  }
}

export const record = asRecord;

/** A payload string made safe to store: NUL and lone surrogates removed, trimmed, at most `max` characters. */
export function text(value: unknown, max = 1000): string | undefined {
  if (typeof value === "number" && Number.isFinite(value)) return String(value);
  if (typeof value !== "string") return undefined;
  const cleaned = storableText(value, Number.POSITIVE_INFINITY).trim();
  return cleaned === "" ? undefined : storableText(cleaned, max);
}

/** Several payload values as one diagnostic line ("5.1.1 550 user unknown"), or undefined when all are empty. */
export function joinText(...parts: unknown[]): string | undefined {
  const values = parts.map((p) => text(p, 500)).filter((p): p is string => p !== undefined);
  return values.length > 0 ? values.join(" ") : undefined;
}

/** Our email id as a provider echoed it, only if it is one (anything else could never match a row). */
export function emailIdOf(value: unknown): string | undefined {
  const id = Array.isArray(value) ? value[0] : value;
  return typeof id === "string" && isUuid(id.trim()) ? id.trim().toLowerCase() : undefined;
}

/** The courierx_email_id in a metadata-like object ({k: v} or {k: [v]}), if present and well-formed. */
export function emailIdIn(metadata: unknown): string | undefined {
  return emailIdOf(record(metadata)?.[EMAIL_ID_METADATA_KEY]);
}

const EARLIEST = Date.UTC(2000, 0, 1);
const LATEST_AHEAD_MS = 24 * 3_600_000;

/** A provider's event time (unix seconds or an ISO string); the receipt time when absent or implausible. */
export function occurredAt(value: unknown, now: Date): Date {
  let ms: number | undefined;
  if (typeof value === "number" && Number.isFinite(value)) ms = value * 1000;
  else if (typeof value === "string" && /^\d{1,12}(\.\d+)?$/.test(value)) ms = Number(value) * 1000;
  else if (typeof value === "string" && value.length <= 64) ms = Date.parse(value);
  if (ms === undefined || !Number.isFinite(ms) || ms < EARLIEST || ms > now.getTime() + LATEST_AHEAD_MS) return now;
  return new Date(Math.floor(ms));
}

/** A stable id for providers without an event id (Postmark): the same record hashes the same. */
export function stableEventId(...parts: (string | undefined)[]): string {
  return createHash("sha256").update(JSON.stringify(parts)).digest("hex");
}

export interface EventFields {
  type: ProviderEventType;
  externalId: string;
  occurredAt: Date;
  emailId?: string | undefined;
  providerMessageId?: unknown;
  recipient?: unknown;
  bounceType?: "hard" | "soft" | undefined;
  diagnostic?: unknown;
  url?: unknown;
  userAgent?: unknown;
  ip?: unknown;
}

/** One normalized event, with every optional field present only when it holds a usable value. */
export function providerEvent(fields: EventFields): ProviderEvent {
  const optional = {
    emailId: fields.emailId,
    providerMessageId: text(fields.providerMessageId, 512),
    recipient: text(fields.recipient, 320)?.toLowerCase(),
    bounceType: fields.bounceType,
    diagnostic: text(fields.diagnostic, 1000),
    url: text(fields.url, 2048),
    userAgent: text(fields.userAgent, 512),
    ip: text(fields.ip, 64),
  };
  const event: ProviderEvent = { type: fields.type, externalId: text(fields.externalId, 512) ?? stableEventId(fields.type, fields.occurredAt.toISOString()), occurredAt: fields.occurredAt };
  for (const [key, value] of Object.entries(optional)) if (value !== undefined) (event as unknown as Record<string, unknown>)[key] = value;
  return event;
}

/** Headers are read case-insensitively by Headers; this trims and treats empty as absent. */
export function header(request: WebhookRequest, name: string): string | undefined {
  const value = request.headers.get(name)?.trim();
  return value ? value : undefined;
}
