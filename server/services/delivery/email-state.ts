/** Final and intermediate states of an email, each written with its timeline event in one statement. */
import { getDb, Prisma, type ProviderName } from "../../db";
import { uuidv7 } from "../../lib/ids";

export const FINAL_STATUSES = ["sent", "delivered", "bounced", "failed", "suppressed"] as const;

export async function markEmailSuppressed(tenantId: string, emailId: string, reason: string): Promise<boolean> {
  return updateEmailWithEvent({
    tenantId,
    emailId,
    onlyOpen: true,
    set: Prisma.sql`"status" = 'suppressed', "lastError" = ${`Recipient is suppressed (${reason})`}`,
    type: "suppressed",
    data: { reason },
  });
}

/** Marks the email failed for good, unless it already reached a final state (then nothing changes). */
export async function markEmailFailed(tenantId: string, emailId: string, reason: string, data: Prisma.InputJsonObject = {}): Promise<boolean> {
  return updateEmailWithEvent({
    tenantId,
    emailId,
    onlyOpen: true,
    set: Prisma.sql`"status" = 'failed', "failedAt" = ${new Date()}, "lastError" = ${reason.slice(0, 1000)}`,
    type: "failed",
    data: { reason, ...data },
  });
}

export interface EmailUpdateWithEvent {
  tenantId: string;
  emailId: string;
  /** The SET list of the email's UPDATE ("updatedAt" is added). */
  set: Prisma.Sql;
  type: "sent" | "attempt_failed" | "failed" | "suppressed";
  data: Prisma.InputJsonObject;
  connection?: { id: string; provider: ProviderName } | null;
  /** Only an email still queued or sending changes (and only then is the event written). */
  onlyOpen?: boolean;
}

/**
 * Updates the email and appends its timeline event atomically, as one data-modifying CTE: no transaction
 * round trips, and the event is written only if the email row was. Returns whether it was.
 */
export async function updateEmailWithEvent(u: EmailUpdateWithEvent): Promise<boolean> {
  const db = await getDb();
  const now = new Date();
  const provider = u.connection?.provider ?? null;
  const rows = await db.$queryRaw<unknown[]>(Prisma.sql`
    WITH u AS (
      UPDATE "Email" SET ${u.set}, "updatedAt" = ${now}
      WHERE "id" = ${u.emailId}::uuid AND "tenantId" = ${u.tenantId}::uuid ${u.onlyOpen ? Prisma.sql`AND "status" IN ('queued', 'sending')` : Prisma.empty}
      RETURNING "id"
    )
    INSERT INTO "EmailEvent" ("id", "tenantId", "emailId", "type", "provider", "connectionId", "occurredAt", "data")
    SELECT ${uuidv7(now.getTime())}::uuid, ${u.tenantId}::uuid, u."id", ${u.type}::"EmailEventType", ${provider}::"ProviderName",
      ${u.connection?.id ?? null}::uuid, ${now}, ${JSON.stringify(u.data)}::jsonb FROM u
    RETURNING 1`);
  return rows.length === 1;
}

/** Idempotent per round: a step replayed after a crash does not write the event twice. */
export async function recordRetryScheduled(tenantId: string, emailId: string, round: number, retryAt: Date): Promise<void> {
  const db = await getDb();
  const existing = await db.emailEvent.findFirst({ where: { tenantId, emailId, type: "deferred", data: { path: ["round"], equals: round } }, select: { id: true } });
  if (existing) return;
  await db.emailEvent.create({
    data: { tenantId, emailId, type: "deferred", data: { reason: "Every provider failed transiently; the whole plan is retried", round, retry_at: retryAt.toISOString() } },
  });
}
