/**
 * Postmark webhooks (PROVIDERS.md 4.5): one JSON record per POST, discriminated by RecordType, with no
 * signature. They are authenticated by HTTP Basic credentials we generated for the connection and that
 * the customer pasted into Postmark as part of the webhook URL; only the password's SHA-256 is stored.
 */
import { sha256Hex, safeEqual } from "../../lib/crypto";
import type { EventsSecrets } from "../provider-connections/events-secrets";
import type { ProviderEvent } from "../events/event-types";
import { emailIdIn, type EventFields, header, joinText, malformed, occurredAt, parseJsonBody, providerEvent, record, stableEventId, text, unauthorized, type WebhookRequest } from "./shared";

/** Throws `unauthorized` unless the request carries this connection's Basic credentials. */
export function verifyPostmarkCredentials(request: WebhookRequest, secrets: EventsSecrets): void {
  const { basic_username: username, basic_password_sha256: passwordHash } = secrets;
  if (!username || !passwordHash) throw unauthorized("no webhook credentials generated");
  const match = /^Basic\s+([A-Za-z0-9+/=]{1,1024})$/i.exec(header(request, "authorization") ?? "");
  if (!match?.[1]) throw unauthorized("missing Basic credentials");
  const decoded = Buffer.from(match[1], "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  if (colon < 0) throw unauthorized("malformed Basic credentials");
  // Both compared every time, in constant time: which half was wrong is not observable.
  const userOk = safeEqual(decoded.slice(0, colon), username);
  const passwordOk = safeEqual(sha256Hex(decoded.slice(colon + 1)), passwordHash);
  if (!userOk || !passwordOk) throw unauthorized("wrong Basic credentials");
}

/**
 * Postmark bounce types that say the address itself is bad; every other type (Transient, SoftBounce,
 * DnsError, Blocked, AutoResponder, DMARCPolicy, …) is soft: no verdict on the address. By name, and by
 * TypeCode for a record whose Type is missing.
 */
const HARD_BOUNCES = new Set(["HardBounce", "BadEmailAddress", "ManuallyDeactivated"]);
const HARD_CODES = new Set([1, 100000, 100002]);

/** The record's event, if it is one we act on (a `SubscriptionChange` that re-activates an address is not). */
export function parsePostmarkEvent(request: WebhookRequest): ProviderEvent[] {
  const r = record(parseJsonBody(request.rawBody));
  if (!r || typeof r.RecordType !== "string") throw malformed("body is not a Postmark webhook record");
  const recipient = r.Recipient ?? r.Email;
  const at = r.BouncedAt ?? r.DeliveredAt ?? r.ReceivedAt ?? r.ChangedAt;
  const base = {
    // No event id exists: the same record (type, message, recipient, time) hashes the same on a retry.
    externalId: stableEventId(r.RecordType, text(r.MessageID), text(recipient)?.toLowerCase(), text(at), r.RecordType === "Bounce" ? text(r.ID) : undefined),
    occurredAt: occurredAt(at, request.now),
    emailId: emailIdIn(r.Metadata),
    providerMessageId: r.MessageID,
    recipient,
    userAgent: r.UserAgent,
  };
  switch (r.RecordType) {
    case "Delivery":
      return [providerEvent({ ...base, type: "delivered", diagnostic: r.Details })];
    case "Bounce":
    case "SpamComplaint":
      return bounceOrComplaint(base, r);
    case "Open":
      return [providerEvent({ ...base, type: "opened" })];
    case "Click":
      return [providerEvent({ ...base, type: "clicked", url: r.OriginalLink })];
    case "SubscriptionChange":
      return r.SuppressSending === true ? [providerEvent({ ...base, type: "unsubscribed", diagnostic: joinText(r.SuppressionReason, r.Origin) })] : [];
    default:
      return [];
  }
}

function bounceOrComplaint(base: Omit<EventFields, "type">, r: Record<string, unknown>): ProviderEvent[] {
  const type = text(r.Type, 64) ?? "";
  const diagnostic = joinText(r.Details, r.Description) ?? text(r.Name);
  if (r.RecordType === "SpamComplaint" || type === "SpamComplaint" || r.TypeCode === 100001) return [providerEvent({ ...base, type: "complained", diagnostic })];
  // The recipient asked to be removed (a list-unsubscribe reply), reported as a bounce type.
  if (type === "Unsubscribe" || r.TypeCode === 16) return [providerEvent({ ...base, type: "unsubscribed", diagnostic })];
  const hard = type ? HARD_BOUNCES.has(type) : typeof r.TypeCode === "number" && HARD_CODES.has(r.TypeCode);
  return [providerEvent({ ...base, type: "bounced", bounceType: hard ? "hard" : "soft", diagnostic })];
}
