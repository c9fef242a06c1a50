/**
 * Resend webhooks (PROVIDERS.md 5.5), signed by Svix: HMAC-SHA256 of `svix-id.svix-timestamp.body` under
 * the customer's whsec_ secret, within ±5 minutes, checked by the standardwebhooks library (the one
 * Resend's own SDK uses) with the svix-* headers mapped onto its webhook-* names.
 */
import { Webhook } from "standardwebhooks";
import type { ProviderEvent } from "../events/event-types";
import { emailIdIn, header, joinText, malformed, occurredAt, parseJsonBody, providerEvent, record, text, unauthorized, type WebhookRequest } from "./shared";

/** Throws `unauthorized` unless the Svix signature verifies; returns the svix-id (the event's id). */
export function verifyResendSignature(request: WebhookRequest, secret: string | undefined): string {
  if (!secret) throw unauthorized("no webhook_signing_key configured");
  const id = header(request, "svix-id");
  const timestamp = header(request, "svix-timestamp");
  const signature = header(request, "svix-signature");
  if (!id || !timestamp || !signature) throw unauthorized("missing Svix headers");
  try {
    new Webhook(secret).verify(request.rawBody.toString("utf8"), { "webhook-id": id, "webhook-timestamp": timestamp, "webhook-signature": signature }, { jsonParse: false });
  } catch (error) {
    throw unauthorized(`Svix verification failed: ${error instanceof Error ? error.message : "unknown"}`);
  }
  return id;
}

/**
 * The event, if it is one we act on. `email.bounced` is a permanent rejection (hard). `email.delivery_delayed`
 * is ignored: Resend is still trying, and the outcome (delivered or bounced) arrives as its own event.
 * Resend has no email-level unsubscribe event (contact.* events carry no email).
 */
export function parseResendEvent(request: WebhookRequest, svixId: string): ProviderEvent[] {
  const body = record(parseJsonBody(request.rawBody));
  if (!body || typeof body.type !== "string") throw malformed("body is not a Resend webhook event");
  const data = record(body.data);
  if (!data) return [];
  const to = Array.isArray(data.to) ? data.to[0] : data.to;
  const base = {
    externalId: svixId,
    occurredAt: occurredAt(body.created_at, request.now),
    emailId: emailIdIn(tagObject(data.tags)),
    providerMessageId: data.email_id,
    recipient: to,
  };
  switch (body.type) {
    case "email.delivered":
      return [providerEvent({ ...base, type: "delivered" })];
    case "email.bounced": {
      const bounce = record(data.bounce);
      const codes = Array.isArray(bounce?.diagnosticCode) ? bounce.diagnosticCode.slice(0, 5) : [bounce?.diagnosticCode];
      // Resend reports only permanent rejections here; a Transient type would still be a soft one.
      const bounceType = bounce?.type === "Transient" || bounce?.type === "Undetermined" ? "soft" : "hard";
      return [providerEvent({ ...base, type: "bounced", bounceType, diagnostic: joinText(...codes) ?? text(bounce?.message) })];
    }
    case "email.complained":
      return [providerEvent({ ...base, type: "complained" })];
    case "email.opened":
      return [providerEvent({ ...base, type: "opened", userAgent: record(data.open)?.userAgent, ip: record(data.open)?.ipAddress })];
    case "email.clicked": {
      const click = record(data.click);
      return [providerEvent({ ...base, type: "clicked", url: click?.link, userAgent: click?.userAgent, ip: click?.ipAddress })];
    }
    default:
      return [];
  }
}

/** Resend echoes tags as an object ({name: value}); older payloads used [{name, value}]. */
function tagObject(tags: unknown): Record<string, unknown> | undefined {
  if (!Array.isArray(tags)) return record(tags);
  return Object.fromEntries(tags.flatMap((t) => (typeof record(t)?.name === "string" ? [[record(t)!.name as string, record(t)!.value]] : [])));
}
