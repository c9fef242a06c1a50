/**
 * SendGrid's signed Event Webhook (PROVIDERS.md 1.5): ECDSA P-256 / SHA-256 over the timestamp header
 * followed by the raw body, checked with the verification key the customer copied from SendGrid; the body
 * is a JSON array of events, batched.
 */
import { createPublicKey, verify } from "node:crypto";
import type { ProviderEvent } from "../events/event-types";
import { assertFresh, emailIdIn, type EventFields, header, joinText, malformed, occurredAt, parseJsonBody, providerEvent, record, SIGNED_TIMESTAMP_WINDOW_MS, text, unauthorized, WebhookRefusal, type WebhookRequest } from "./shared";

export const SENDGRID_SIGNATURE_HEADER = "x-twilio-email-event-webhook-signature";
export const SENDGRID_TIMESTAMP_HEADER = "x-twilio-email-event-webhook-timestamp";
/** SendGrid batches events; a larger array is no batch of theirs and is not worth reading. */
export const SENDGRID_MAX_BATCH = 1000;

/** Throws `unauthorized` unless the signature over timestamp + raw body verifies with `publicKeyDer` (base64). */
export function verifySendgridSignature(request: WebhookRequest, publicKeyDer: string | undefined): void {
  if (!publicKeyDer) throw unauthorized("no webhook_signing_key configured");
  const signature = header(request, SENDGRID_SIGNATURE_HEADER);
  const timestamp = header(request, SENDGRID_TIMESTAMP_HEADER);
  if (!signature || !timestamp) throw unauthorized("missing signature headers");
  assertFresh(timestamp, SIGNED_TIMESTAMP_WINDOW_MS, request.now);
  let valid = false;
  try {
    const key = createPublicKey({ key: Buffer.from(publicKeyDer, "base64"), format: "der", type: "spki" });
    valid = verify("sha256", Buffer.concat([Buffer.from(timestamp, "utf8"), request.rawBody]), key, Buffer.from(signature, "base64"));
  } catch {
    // A signature that is not DER at all makes verify throw: it is simply not valid.
    valid = false;
  }
  if (!valid) throw unauthorized("signature does not verify");
}

const BOUNCE_TYPES: Record<string, "hard" | "soft"> = { bounce: "hard", blocked: "soft" };

/** The batch's events we act on; `processed`, `deferred`, resubscribes and unknown kinds are left out. */
export function parseSendgridEvents(request: WebhookRequest): ProviderEvent[] {
  const batch = parseJsonBody(request.rawBody);
  if (!Array.isArray(batch)) throw malformed("body is not a JSON array of events");
  if (batch.length > SENDGRID_MAX_BATCH) throw new WebhookRefusal("too_large", `batch of ${batch.length} events`);
  return batch.flatMap((item) => {
    const event = sendgridEvent(item, request.now);
    return event ? [event] : [];
  });
}

function sendgridEvent(item: unknown, now: Date): ProviderEvent | undefined {
  const e = record(item);
  if (!e) return undefined;
  const base = {
    externalId: text(e.sg_event_id, 512) ?? "",
    occurredAt: occurredAt(e.timestamp, now),
    // custom_args come back as top-level keys of every event.
    emailId: emailIdIn(e),
    // "<X-Message-Id>.<filter suffix>": the send stored the part before the first dot.
    providerMessageId: text(e.sg_message_id, 512)?.split(".")[0],
    recipient: e.email,
    userAgent: e.useragent,
    ip: e.ip,
  };
  // Without SendGrid's event id a re-delivery could not be told apart: such an event is not ours to trust.
  if (!base.externalId) return undefined;
  switch (e.event) {
    case "delivered":
      return providerEvent({ ...base, type: "delivered", diagnostic: e.response });
    case "bounce": {
      const bounceType = BOUNCE_TYPES[String(e.type)] ?? "hard";
      return providerEvent({ ...base, type: "bounced", bounceType, diagnostic: joinText(e.status, e.reason) });
    }
    case "dropped":
      return droppedEvent(base, e);
    case "spamreport":
      return providerEvent({ ...base, type: "complained" });
    case "open":
      return providerEvent({ ...base, type: "opened" });
    case "click":
      return providerEvent({ ...base, type: "clicked", url: e.url });
    case "unsubscribe":
    case "group_unsubscribe":
      return providerEvent({ ...base, type: "unsubscribed", diagnostic: e.asm_group_id !== undefined ? `asm group ${text(e.asm_group_id, 32)}` : undefined });
    default:
      return undefined;
  }
}

/**
 * SendGrid drops a message it will not send. Drops for an address it has on its own lists are the same
 * verdict as the original event (a hard bounce, an unsubscribe, a spam report) and feed our suppression
 * list; other drops (invalid SMTPAPI header, content) say nothing about the address and are ignored.
 */
function droppedEvent(base: Omit<EventFields, "type">, e: Record<string, unknown>) {
  const reason = text(e.reason, 500) ?? "";
  // "Invalid" is SendGrid's invalid-address list; "Invalid SMTPAPI header" is about the request, not the address.
  if (/^(bounced address|invalid)$/i.test(reason)) return providerEvent({ ...base, type: "bounced", bounceType: "hard", diagnostic: `dropped: ${reason}` });
  if (/^unsubscribed address$/i.test(reason)) return providerEvent({ ...base, type: "unsubscribed", diagnostic: `dropped: ${reason}` });
  if (/^spam reporting address$/i.test(reason)) return providerEvent({ ...base, type: "complained", diagnostic: `dropped: ${reason}` });
  return undefined;
}
