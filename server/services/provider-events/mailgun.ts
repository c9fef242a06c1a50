/**
 * Mailgun webhooks (PROVIDERS.md 3.5): one JSON event per POST, authenticated by the `signature` object in
 * the body, HMAC-SHA256 (hex) of timestamp + token under the customer's HTTP webhook signing key. Stale
 * timestamps are refused and every token is good once (SeenWebhookToken), so a captured request cannot
 * be replayed within the window either.
 */
import { createHmac, timingSafeEqual } from "node:crypto";
import { getDb } from "../../db";
import { sha256Hex } from "../../lib/crypto";
import { logger } from "../../lib/logger";
import type { ProviderEvent } from "../events/event-types";
import { assertFresh, emailIdIn, joinText, occurredAt, parseJsonBody, providerEvent, record, SIGNED_TIMESTAMP_WINDOW_MS, text, unauthorized, type WebhookRequest } from "./shared";

export interface MailgunPayload {
  token: string;
  eventData: Record<string, unknown> | undefined;
}

/** Throws `unauthorized` unless the body carries a fresh signature made with `signingKey`. */
export function verifyMailgunSignature(request: WebhookRequest, signingKey: string | undefined): MailgunPayload {
  if (!signingKey) throw unauthorized("no webhook_signing_key configured");
  let body: unknown;
  try {
    body = parseJsonBody(request.rawBody);
  } catch {
    // The signature lives inside the body: a body we cannot read is an unsigned request.
    throw unauthorized("body is not JSON");
  }
  const signature = record(record(body)?.signature);
  const timestamp = typeof signature?.timestamp === "number" ? String(signature.timestamp) : signature?.timestamp;
  const token = signature?.token;
  const given = signature?.signature;
  if (typeof timestamp !== "string" || typeof token !== "string" || typeof given !== "string" || !TOKEN.test(token)) {
    throw unauthorized("missing signature");
  }
  assertFresh(timestamp, SIGNED_TIMESTAMP_WINDOW_MS, request.now);
  const expected = createHmac("sha256", signingKey).update(timestamp + token).digest();
  const presented = /^[0-9a-f]{64}$/i.test(given) ? Buffer.from(given, "hex") : Buffer.alloc(0);
  if (presented.length !== expected.length || !timingSafeEqual(presented, expected)) throw unauthorized("signature does not verify");
  return { token, eventData: record(record(body)?.["event-data"]) };
}

/** Mailgun's tokens are 50 hex characters; anything printable up to 256 is taken, nothing that could not be a key. */
const TOKEN = /^[\x21-\x7e]{1,256}$/;

/** Tokens are remembered well past the window in which their timestamp is accepted. */
const TOKEN_MEMORY_MS = 2 * SIGNED_TIMESTAMP_WINDOW_MS + 5 * 60_000;
const PRUNE_EVERY = 200;
let claimsSincePrune = 0;

/**
 * Takes a verified token once per signing key — not per connection: Mailgun's key is the account's, shared
 * by the connections of its domains (and perhaps tenants), and it signs only timestamp + token, so a request
 * captured at one connection must not be replayable, with other event data, at another. A second request
 * with it (a replay, or a second worker handed the same request) is refused. Returns the release used when the request then fails on our
 * side, so that the provider's retry is not refused as a replay.
 */
/** Where the tokens signed with this key are remembered (the key itself is never stored). */
export function mailgunTokenPrefix(signingKey: string): string {
  return `mailgun:${sha256Hex(signingKey).slice(0, 32)}:`;
}

export async function claimMailgunToken(signingKey: string, token: string, now: Date): Promise<() => Promise<void>> {
  const db = await getDb();
  const key = `${mailgunTokenPrefix(signingKey)}${token}`;
  const { count } = await db.seenWebhookToken.createMany({ data: [{ key, expiresAt: new Date(now.getTime() + TOKEN_MEMORY_MS) }], skipDuplicates: true });
  if (count === 0) throw unauthorized("token already used");
  if (++claimsSincePrune >= PRUNE_EVERY) {
    claimsSincePrune = 0;
    await db.seenWebhookToken.deleteMany({ where: { expiresAt: { lt: now } } }).catch((error: unknown) => logger.warn("pruning seen webhook tokens failed", { error }));
  }
  return async () => {
    await db.seenWebhookToken.deleteMany({ where: { key } });
  };
}

/**
 * The event, if it is one we act on. `failed` with severity `temporary` is a deferral Mailgun keeps
 * retrying, not an outcome: it is ignored (a later `delivered` or permanent `failed` is the outcome, and
 * a soft bounce recorded now could not be taken back by that delivery). A permanent failure because
 * retries ran out (reason `old`) is a soft bounce: final, but no verdict on the address.
 */
export function parseMailgunEvent(payload: MailgunPayload, now: Date): ProviderEvent[] {
  const e = payload.eventData;
  if (!e) return [];
  const message = record(e.message);
  const status = record(e["delivery-status"]);
  const timestamp = typeof e.timestamp === "number" ? e.timestamp : undefined;
  const eventId = text(e.id, 200);
  const base = {
    // event-data.id is unique per day, so the event time goes with it; a re-signed retry keeps both.
    externalId: eventId && timestamp !== undefined ? `${eventId}@${timestamp}` : payload.token,
    occurredAt: occurredAt(timestamp, now),
    emailId: emailIdIn(e["user-variables"]),
    providerMessageId: text(record(message?.headers)?.["message-id"], 512)?.replace(/^<|>$/g, ""),
    recipient: e.recipient,
    userAgent: record(e["client-info"])?.["user-agent"],
    ip: e.ip,
  };
  switch (e.event) {
    case "delivered":
      return [providerEvent({ ...base, type: "delivered", diagnostic: joinText(status?.code, status?.message) })];
    case "failed": {
      if (e.severity !== "permanent") return [];
      const bounceType = e.reason === "old" ? "soft" : "hard";
      return [providerEvent({ ...base, type: "bounced", bounceType, diagnostic: joinText(status?.code, status?.message, status?.description) ?? text(e.reason) })];
    }
    case "complained":
      return [providerEvent({ ...base, type: "complained" })];
    case "unsubscribed":
      return [providerEvent({ ...base, type: "unsubscribed" })];
    case "opened":
      return [providerEvent({ ...base, type: "opened" })];
    case "clicked":
      return [providerEvent({ ...base, type: "clicked", url: e.url })];
    default:
      return [];
  }
}
