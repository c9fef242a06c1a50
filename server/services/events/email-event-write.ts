/**
 * The one way an email's state changes together with its timeline: a single data-modifying statement
 * that updates the email row, appends the event and, for events webhook endpoints can subscribe to,
 * numbers it (Email.eventSequence), counts it in the analytics rollup (EmailDailyStat, once per email and
 * type: Email.rollupMask), writes one outbox delivery per subscribed endpoint, and adds a suppression when
 * asked. Nothing is written unless the email row was, and a rollup count or delivery never exists without
 * its event. The deliveries' runs are requested after the statement (outbox.ts).
 */
import { getDb, Prisma, type EmailEventType, type ProviderName, type SuppressionReason } from "../../db";
import { uuidv7 } from "../../lib/ids";
import { isOutgoingEventType, rollupBit } from "./event-types";
import { dispatchDeliveries, type DeliveryRef } from "./outbox";

export interface EmailEventWrite {
  tenantId: string;
  emailId: string;
  /** SET items of the email's UPDATE (status, timestamps…); "updatedAt" and the sequence are added. */
  set: Prisma.Sql;
  /** Further conditions on the email row (each starting with AND); the event is written only if it matches. */
  where?: Prisma.Sql;
  type: EmailEventType;
  provider?: ProviderName | null;
  connectionId?: string | null;
  occurredAt?: Date;
  data: Prisma.InputJsonObject;
  /** A provider's own event id: the event is written at most once per (tenant, provider, externalId). */
  externalId?: string;
  /** Counts the event in the rollup (default true for outgoing types; a soft bounce is not counted). */
  counted?: boolean;
  /**
   * At most one event of this type per email, enforced on the email row itself (its rollup bit), so two
   * racing writers cannot both pass — for events whose provider may be null, where the unique index on
   * (tenant, provider, externalId) does not apply.
   */
  oncePerType?: boolean;
  /**
   * A provider's clock (often to the second) may put its event before our record of the send: such an
   * event is placed at the send's time, so the timeline and the webhooks keep cause before effect.
   */
  notBeforeSent?: boolean;
  /** Adds the address (or the email's recipient) to the tenant's suppression list, unless already there. */
  suppress?: { reason: SuppressionReason; address?: string };
}

export interface EmailEventWriteResult {
  written: boolean;
  eventId: string;
  deliveries: DeliveryRef[];
}

/**
 * Runs the write, then requests the runs of the deliveries it created — unless `deferDispatch`: then the
 * caller dispatches the returned deliveries itself (a webhook batch dispatches once for all its events).
 */
export async function writeEmailEvent(w: EmailEventWrite, options: { deferDispatch?: boolean } = {}): Promise<EmailEventWriteResult> {
  const db = await getDb();
  const eventId = uuidv7();
  const [row] = await db.$queryRaw<{ written: number; deliveries: DeliveryRef[] | null }[]>(emailEventStatement(w, eventId));
  const deliveries = row?.deliveries ?? [];
  if (!options.deferDispatch) await dispatchDeliveries(deliveries);
  return { written: (row?.written ?? 0) > 0, eventId, deliveries };
}

function emailEventStatement(w: EmailEventWrite, eventId: string): Prisma.Sql {
  const now = new Date();
  const occurredAt = w.occurredAt ?? now;
  const provider = w.provider ?? null;
  const outgoing = isOutgoingEventType(w.type) ? w.type : null;
  const counted = outgoing !== null && w.counted !== false;
  const bit = outgoing ? rollupBit(outgoing) : 0;
  const numbered = outgoing ? Prisma.sql`, "eventSequence" = "eventSequence" + 1` : Prisma.empty;
  const rolled = counted ? Prisma.sql`, "rollupFresh" = ("rollupMask" & ${bit}) = 0, "rollupMask" = "rollupMask" | ${bit}` : Prisma.empty;
  // `=` (not IS NOT DISTINCT FROM) so the check is an index probe on (tenantId, provider, externalId).
  const sameProvider = provider ? Prisma.sql`x."provider" = ${provider}::"ProviderName"` : Prisma.sql`x."provider" IS NULL`;
  const notSeen = w.externalId
    ? Prisma.sql`AND NOT EXISTS (SELECT 1 FROM "EmailEvent" x WHERE x."tenantId" = ${w.tenantId}::uuid AND ${sameProvider} AND x."externalId" = ${w.externalId})`
    : Prisma.empty;
  // Re-checked on the latest row version after a lock wait, unlike the NOT EXISTS above (statement snapshot).
  const firstOfType = w.oncePerType && outgoing ? Prisma.sql`AND ("rollupMask" & ${bit}) = 0` : Prisma.empty;

  const parts: Prisma.Sql[] = [
    Prisma.sql`u AS (
      UPDATE "Email" SET ${w.set}${numbered}${rolled}, "updatedAt" = ${now}
      WHERE "id" = ${w.emailId}::uuid AND "tenantId" = ${w.tenantId}::uuid ${w.where ?? Prisma.empty} ${notSeen} ${firstOfType}
      RETURNING "id", "tenantId", "test", "toEmail", "metadata", "eventSequence", "rollupFresh", "sentAt"
    )`,
    // A provider's re-delivery racing the first one passes notSeen and stops here on the unique index.
    Prisma.sql`ev AS (
      INSERT INTO "EmailEvent" ("id", "tenantId", "emailId", "type", "provider", "connectionId", "externalId", "occurredAt", "sequence", "data")
      SELECT ${eventId}::uuid, u."tenantId", u."id", ${w.type}::"EmailEventType", ${provider}::"ProviderName", ${w.connectionId ?? null}::uuid,
        ${w.externalId ?? null}, ${w.notBeforeSent ? Prisma.sql`GREATEST(${occurredAt}, u."sentAt")` : Prisma.sql`${occurredAt}`}, ${outgoing ? Prisma.sql`u."eventSequence"` : Prisma.sql`NULL::int`}, ${JSON.stringify(w.data)}::jsonb
      FROM u
      ${w.externalId ? Prisma.sql`ON CONFLICT ("tenantId", "provider", "externalId") DO NOTHING` : Prisma.empty}
      RETURNING "id", "occurredAt"
    )`,
  ];
  if (outgoing && counted) {
    const column = Prisma.raw(`"${outgoing}"`);
    parts.push(Prisma.sql`stat AS (
      INSERT INTO "EmailDailyStat" ("tenantId", "test", "day", "provider", ${column})
      SELECT u."tenantId", u."test", ev."occurredAt"::date, ${provider ?? ""}, 1 FROM u, ev WHERE u."rollupFresh"
      ON CONFLICT ("tenantId", "test", "day", "provider") DO UPDATE SET ${column} = "EmailDailyStat".${column} + 1
    )`);
  }
  if (outgoing) {
    // Locked against a concurrent delete (which then waits, or has committed and the row drops out): a
    // delivery row never points at an endpoint deleted meanwhile, so the event's statement cannot fail on it.
    parts.push(Prisma.sql`eps AS (
      SELECT "id", "tenantId" FROM "WebhookEndpoint"
      WHERE "tenantId" = ${w.tenantId}::uuid AND "active" AND (cardinality("events") = 0 OR ${outgoing}::text = ANY("events"))
      FOR KEY SHARE
    )`);
    parts.push(Prisma.sql`wh AS (
      INSERT INTO "WebhookDelivery" ("id", "tenantId", "endpointId", "eventType", "emailId", "eventId", "messageId", "payload", "updatedAt")
      SELECT gen_random_uuid(), we."tenantId", we."id", ${outgoing}, u."id", ev."id", ${`msg_${eventId}`},
        jsonb_build_object('event', ${outgoing}::text, 'email_id', u."id", 'recipient', u."toEmail", 'provider', ${provider}::text,
          'timestamp', to_char(ev."occurredAt", 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'), 'metadata', u."metadata", 'sequence', u."eventSequence", 'test', u."test"),
        ${now}
      FROM u, ev, eps we
      RETURNING "id", "endpointId", "tenantId"
    )`);
  }
  if (w.suppress) {
    parts.push(Prisma.sql`sup AS (
      INSERT INTO "Suppression" ("id", "tenantId", "email", "reason", "emailId", "provider", "createdAt")
      SELECT ${uuidv7(now.getTime())}::uuid, u."tenantId", coalesce(${w.suppress.address?.toLowerCase() ?? null}::text, u."toEmail"),
        ${w.suppress.reason}::"SuppressionReason", u."id", ${provider}::"ProviderName", ${now}
      FROM u, ev
      ON CONFLICT ("tenantId", "email") DO NOTHING
    )`);
  }
  const deliveries = outgoing
    ? Prisma.sql`(SELECT json_agg(json_build_object('deliveryId', wh."id", 'endpointId', wh."endpointId", 'tenantId', wh."tenantId")) FROM wh)`
    : Prisma.sql`NULL::json`;
  return Prisma.sql`WITH ${Prisma.join(parts, ",\n")}
    SELECT (SELECT count(*)::int FROM ev) AS "written", ${deliveries} AS "deliveries"`;
}
