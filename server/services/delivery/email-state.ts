/** Final and intermediate states of an email, each written with its timeline event in one transaction. */
import { getDb, type Prisma } from "../../db";

export const FINAL_STATUSES = ["sent", "delivered", "bounced", "failed", "suppressed"] as const;
const OPEN_STATUSES = ["queued", "sending"] as const;

export async function markEmailSuppressed(tenantId: string, emailId: string, reason: string): Promise<boolean> {
  const db = await getDb();
  const [updated] = await db.$transaction([
    db.email.updateMany({ where: { id: emailId, tenantId, status: { in: [...OPEN_STATUSES] } }, data: { status: "suppressed", lastError: `Recipient is suppressed (${reason})` } }),
    db.emailEvent.create({ data: { tenantId, emailId, type: "suppressed", data: { reason } } }),
  ]);
  return updated.count === 1;
}

/** Marks the email failed for good, unless it already reached a final state (then nothing changes). */
export async function markEmailFailed(tenantId: string, emailId: string, reason: string, data: Prisma.InputJsonObject = {}): Promise<boolean> {
  const db = await getDb();
  return db.$transaction(async (tx) => {
    const { count } = await tx.email.updateMany({
      where: { id: emailId, tenantId, status: { in: [...OPEN_STATUSES] } },
      data: { status: "failed", failedAt: new Date(), lastError: reason.slice(0, 1000) },
    });
    if (count === 1) await tx.emailEvent.create({ data: { tenantId, emailId, type: "failed", data: { reason, ...data } } });
    return count === 1;
  });
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
