/**
 * Verifies CourierX's outgoing webhooks, signed in the Standard Webhooks format
 * (https://www.standardwebhooks.com): `webhook-signature` holds one or more space-separated
 * `v1,<base64 HMAC-SHA256>` of `${webhook-id}.${webhook-timestamp}.${body}`, keyed with the base64 bytes
 * after `whsec_` (during a secret rotation, one signature per secret).
 */
import { createHmac, timingSafeEqual } from "node:crypto";
import { WebhookVerificationError } from "./errors.js";
import type { WebhookEvent } from "./types.js";

/** How far a webhook-timestamp may be from now, either way (replayed or clock-skewed requests). */
export const DEFAULT_TOLERANCE_SECONDS = 5 * 60;

/** A fetch `Headers`, or Node's `req.headers` (IncomingHttpHeaders), or any plain object of them. */
export type WebhookHeaders = Headers | Record<string, string | string[] | undefined>;

export interface VerifyOptions {
  /** Default 300 (5 minutes). */
  toleranceSeconds?: number;
  /** The current time, for tests. */
  now?: Date;
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/**
 * Checks the request and returns its parsed event, or throws WebhookVerificationError. Pass the raw body
 * exactly as received (a string or the bytes), never a re-serialised object: any change breaks the
 * signature. `secret` may be a list (the current and the previous secret while you roll one out).
 */
export function verifyWebhook(payload: string | Uint8Array, headers: WebhookHeaders, secret: string | string[], options: VerifyOptions = {}): WebhookEvent {
  if (typeof payload !== "string" && !(payload instanceof Uint8Array)) {
    throw new TypeError("webhooks.verify needs the raw request body (a string or Buffer), not a parsed object");
  }
  const body = typeof payload === "string" ? payload : Buffer.from(payload).toString("utf8");
  const id = header(headers, "webhook-id");
  const timestamp = header(headers, "webhook-timestamp");
  const signatures = header(headers, "webhook-signature");
  if (!id || !timestamp || !signatures) throw new WebhookVerificationError("Missing webhook-id, webhook-timestamp or webhook-signature header");
  if (!/^\d{1,12}$/.test(timestamp)) throw new WebhookVerificationError("Invalid webhook-timestamp");
  const tolerance = options.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS;
  const now = Math.floor((options.now ?? new Date()).getTime() / 1000);
  if (Number(timestamp) < now - tolerance) throw new WebhookVerificationError("Message timestamp too old");
  if (Number(timestamp) > now + tolerance) throw new WebhookVerificationError("Message timestamp too new");

  const candidates = signatures
    .split(" ")
    .map((s) => s.split(","))
    .filter((parts): parts is [string, string] => parts.length === 2 && parts[0] === "v1" && BASE64.test(parts[1]!))
    .map(([, sig]) => Buffer.from(sig, "base64"));
  const signed = `${id}.${timestamp}.${body}`;
  for (const key of (Array.isArray(secret) ? secret : [secret]).map(secretKey)) {
    const expected = createHmac("sha256", key).update(signed).digest();
    if (candidates.some((c) => c.length === expected.length && timingSafeEqual(c, expected))) return parseEvent(body);
  }
  throw new WebhookVerificationError("No matching signature found");
}

/** The HMAC key: the base64 bytes after `whsec_` (or of the whole secret without the prefix). */
function secretKey(secret: string): Buffer {
  const encoded = secret.startsWith("whsec_") ? secret.slice("whsec_".length) : secret;
  if (encoded.length === 0 || !BASE64.test(encoded)) throw new WebhookVerificationError("The webhook secret is not a whsec_<base64> secret");
  return Buffer.from(encoded, "base64");
}

function header(headers: WebhookHeaders, name: string): string | undefined {
  if (typeof (headers as Headers).get === "function") return (headers as Headers).get(name) ?? undefined;
  const record = headers as Record<string, string | string[] | undefined>;
  const key = Object.keys(record).find((k) => k.toLowerCase() === name);
  const value = key === undefined ? undefined : record[key];
  return Array.isArray(value) ? value[0] : value;
}

function parseEvent(body: string): WebhookEvent {
  try {
    return JSON.parse(body) as WebhookEvent;
  } catch {
    throw new WebhookVerificationError("The signed body is not JSON");
  }
}

/** `courierx.webhooks`: the same check, bound for convenience. */
export class Webhooks {
  verify(payload: string | Uint8Array, headers: WebhookHeaders, secret: string | string[], options?: VerifyOptions): WebhookEvent {
    return verifyWebhook(payload, headers, secret, options);
  }
}
