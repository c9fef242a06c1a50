/**
 * Records one verified, normalized provider event on its email: the timeline event (once per provider
 * event id), the status move (sent → delivered | bounced; a later hard bounce still moves a delivered
 * email to bounced; nothing moves a bounced one back), an automatic suppression for hard bounces,
 * complaints and unsubscribes, the rollup count and the outgoing webhook deliveries — all in the one
 * statement of email-event-write.ts.
 */
import { getDb, Prisma, type ProviderName, type SuppressionReason } from "../../db";
import { isUuid } from "../../lib/ids";
import { logger } from "../../lib/logger";
import { storableText } from "../../lib/text";
import { writeEmailEvent } from "./email-event-write";
import { dispatchDeliveries, type DeliveryRef } from "./outbox";
import type { ProviderEvent, ProviderEventSource, RecordOutcome } from "./event-types";

/** A provider's clock may be off; an event time outside this window is taken as the receipt time. */
const MAX_PAST_MS = 30 * 24 * 3600_000;
const MAX_FUTURE_MS = 5 * 60_000;

/** Records one event that reached a connection's webhook URL (the caller marks the connection once per request). */
export async function recordProviderEvent(source: ProviderEventSource, event: ProviderEvent): Promise<RecordOutcome> {
  return recordEmailProviderEvent(source.tenantId, { connectionId: source.connectionId, provider: source.provider }, event);
}

/**
 * A request's events in the provider's order (a batch's delivered before its open, as it happened), their
 * webhook deliveries requested together at the end: one dispatch per request, not one per event.
 */
export async function recordProviderEvents(source: ProviderEventSource, events: ProviderEvent[]): Promise<RecordOutcome[]> {
  const outcomes: RecordOutcome[] = [];
  const deliveries: DeliveryRef[] = [];
  try {
    for (const event of events) {
      const via = { connectionId: source.connectionId, provider: source.provider };
      outcomes.push(await recordEmailProviderEvent(source.tenantId, via, event, { deferDispatch: deliveries }));
    }
  } finally {
    // Also when a later event failed: the ones recorded keep their deliveries.
    await dispatchDeliveries(deliveries);
  }
  return outcomes;
}

/** The connection has received a verified request (throttled to one write a minute). */
export async function markConnectionEventReceived(source: ProviderEventSource): Promise<void> {
  const db = await getDb();
  await db.$executeRaw(Prisma.sql`
    UPDATE "ProviderConnection" SET "lastEventAt" = ${new Date()}
    WHERE "id" = ${source.connectionId}::uuid AND "tenantId" = ${source.tenantId}::uuid
      AND ("lastEventAt" IS NULL OR "lastEventAt" < ${new Date(Date.now() - 60_000)})`);
}

/**
 * The recorder behind recordProviderEvent, also used by the test-mode sandbox, whose events may have no
 * provider (a tenant without connections).
 */
export async function recordEmailProviderEvent(
  tenantId: string,
  via: { connectionId: string | null; provider: ProviderName | null },
  event: ProviderEvent,
  /** oncePerType: see EmailEventWrite; deferDispatch: collect the deliveries there instead of dispatching them. */
  options: { oncePerType?: boolean; deferDispatch?: DeliveryRef[] } = {},
): Promise<RecordOutcome> {
  const byId = event.emailId && isUuid(event.emailId) ? event.emailId : null;
  const emailId = byId ?? (await findByProviderMessageId(tenantId, via.provider, event.providerMessageId));
  if (emailId) {
    const occurredAt = plausibleTime(event.occurredAt);
    const suppress = suppressionReason(event);
    const result = await writeEmailEvent({
      tenantId,
      emailId,
      set: statusMove(event, occurredAt),
      type: event.type,
      provider: via.provider,
      connectionId: via.connectionId,
      occurredAt,
      externalId: event.externalId,
      data: eventData(event),
      notBeforeSent: true,
      // A soft bounce is on the timeline and goes to webhooks, but is not (yet) a bounced email.
      counted: !(event.type === "bounced" && event.bounceType !== "hard"),
      ...(options.oncePerType ? { oncePerType: true } : {}),
      ...(suppress ? { suppress: { reason: suppress } } : {}),
    }, { deferDispatch: options.deferDispatch !== undefined });
    options.deferDispatch?.push(...result.deliveries);
    if (result.written) return { outcome: "recorded", emailId, eventId: result.eventId, deliveryIds: result.deliveries.map((d) => d.deliveryId) };
    if (await emailExists(tenantId, emailId)) return { outcome: "duplicate", emailId };
    // An id we never sent for this tenant: the provider message id may still match one.
    if (byId) {
      const fallback = await findByProviderMessageId(tenantId, via.provider, event.providerMessageId);
      if (fallback) return recordEmailProviderEvent(tenantId, via, { ...event, emailId: fallback }, options);
    }
  }
  logger.info("provider event for an unknown email dropped", { tenantId, provider: via.provider, type: event.type, externalId: event.externalId });
  return { outcome: "unknown_email" };
}

function statusMove(event: ProviderEvent, at: Date): Prisma.Sql {
  switch (event.type) {
    case "delivered":
      // A delivery proves the send went out, even when our side recorded it failed (a timeout) or has not yet.
      return Prisma.sql`"status" = CASE WHEN "status" IN ('queued', 'sent', 'failed') THEN 'delivered'::"EmailStatus" ELSE "status" END,
        "deliveredAt" = CASE WHEN "status" IN ('queued', 'sent', 'failed') THEN ${at} ELSE "deliveredAt" END`;
    case "bounced":
      // Only a hard bounce is final: a soft one (a full mailbox, a delay, an auto-reply) may still be delivered.
      if (event.bounceType !== "hard") return Prisma.sql`"status" = "status"`;
      return Prisma.sql`"status" = CASE WHEN "status" IN ('queued', 'sent', 'failed', 'delivered') THEN 'bounced'::"EmailStatus" ELSE "status" END,
        "bouncedAt" = CASE WHEN "status" IN ('queued', 'sent', 'failed', 'delivered') THEN ${at} ELSE "bouncedAt" END,
        "lastError" = CASE WHEN "status" IN ('queued', 'sent', 'failed', 'delivered') THEN ${storableText(event.diagnostic ?? "Bounced", 1000)} ELSE "lastError" END`;
    default:
      return Prisma.sql`"status" = "status"`;
  }
}

function suppressionReason(event: ProviderEvent): SuppressionReason | null {
  if (event.type === "bounced") return event.bounceType === "hard" ? "bounce" : null;
  if (event.type === "complained") return "complaint";
  if (event.type === "unsubscribed") return "unsubscribe";
  return null;
}

/** Payload values are cleaned by the parsers; cleaned again here, so the recorder never depends on them for a storable row. */
function eventData(event: ProviderEvent): Prisma.InputJsonObject {
  const fields: [string, string | undefined, number][] = [
    ["bounce_type", event.bounceType, 10],
    ["diagnostic", event.diagnostic, 1000],
    ["url", event.url, 2048],
    ["recipient", event.recipient?.toLowerCase(), 320],
    ["user_agent", event.userAgent, 512],
    ["ip", event.ip, 64],
    ["provider_message_id", event.providerMessageId, 512],
  ];
  const data: Record<string, string> = {};
  for (const [key, value, max] of fields) if (value) data[key] = storableText(value, max);
  return data;
}

function plausibleTime(at: Date): Date {
  const now = Date.now();
  const t = at.getTime();
  return Number.isFinite(t) && t > now - MAX_PAST_MS && t < now + MAX_FUTURE_MS ? at : new Date(now);
}

async function findByProviderMessageId(tenantId: string, provider: ProviderName | null, messageId: string | undefined): Promise<string | null> {
  if (!provider || !messageId) return null;
  const db = await getDb();
  const email = await db.email.findFirst({ where: { tenantId, provider, providerMessageId: messageId }, orderBy: { createdAt: "desc" }, select: { id: true } });
  return email?.id ?? null;
}

async function emailExists(tenantId: string, emailId: string): Promise<boolean> {
  const db = await getDb();
  return (await db.email.count({ where: { id: emailId, tenantId } })) > 0;
}
