/**
 * What the recovery sweep looks for. Both queries read across tenants on purpose (they serve the sweep,
 * never a tenant's request), hence `unsafe`; both walk an index and are bounded.
 */
import { DB_NOW, getDb, Prisma } from "../../db";

export interface SweepPosition {
  position: string;
  lastId: string | null;
}

const CURSOR = "recover-queued-emails";

/**
 * Emails still `queued` and never attempted well after they were accepted: their event was probably never
 * emitted (the process died between the insert and the emit, or Inngest was unreachable). The sweep walks
 * the (status, queuedAt) index forward from where it stopped (`SweepCursor`) and moves past every row it
 * read, eligible or not — eligibility only ever comes with age — so each queued email is read once, not
 * every minute while a long backlog drains or retries. The caller saves the returned position after it
 * re-emitted the batch.
 */
export async function unsafeFindStaleQueuedEmails(
  olderThanMs: number,
  limit: number,
): Promise<{ emails: { id: string; tenantId: string; scheduledAt: Date | null }[]; next: SweepPosition | null }> {
  const db = await getDb();
  const cursor = await db.sweepCursor.findUnique({ where: { name: CURSOR } });
  const after = cursor ? Prisma.sql`AND ("queuedAt", "id") > (${cursor.position}, ${cursor.lastId ?? "00000000-0000-0000-0000-000000000000"}::uuid)` : Prisma.empty;
  const rows = await db.$queryRaw<{ id: string; tenantId: string; queuedAt: Date; scheduledAt: Date | null; neverAttempted: boolean }[]>(Prisma.sql`
    SELECT "id", "tenantId", "queuedAt", "scheduledAt", ("attempts" = 0 AND "attemptToken" IS NULL) AS "neverAttempted" FROM "Email"
    WHERE "status" = 'queued' AND "queuedAt" < ${DB_NOW} - make_interval(secs => ${olderThanMs / 1000}) ${after}
    ORDER BY "queuedAt", "id"
    LIMIT ${limit}`);
  const last = rows.at(-1);
  return {
    // A scheduled email's event is emitted with its time again, so that its run still waits for it.
    emails: rows.filter((r) => r.neverAttempted).map(({ id, tenantId, scheduledAt }) => ({ id, tenantId, scheduledAt })),
    next: last ? { position: last.queuedAt.toISOString(), lastId: last.id } : null,
  };
}

export async function unsafeSaveSweepPosition(next: SweepPosition): Promise<void> {
  const db = await getDb();
  const position = new Date(next.position);
  await db.sweepCursor.upsert({ where: { name: CURSOR }, create: { name: CURSOR, position, lastId: next.lastId }, update: { position, lastId: next.lastId } });
}

/**
 * Emails left mid-send: an attempt claimed them and never wrote back, long after its lease lapsed (a live
 * run would have taken the attempt over by then). Uses the attemptLeaseUntil index.
 */
export async function unsafeFindEmailsStuckMidSend(lapsedForMs: number, limit: number): Promise<{ id: string; tenantId: string; attempts: number }[]> {
  const db = await getDb();
  return db.$queryRaw<{ id: string; tenantId: string; attempts: number }[]>(Prisma.sql`
    SELECT "id", "tenantId", "attempts" FROM "Email"
    WHERE "attemptLeaseUntil" < ${DB_NOW} - make_interval(secs => ${lapsedForMs / 1000}) AND "status" = 'queued'
    ORDER BY "attemptLeaseUntil"
    LIMIT ${limit}`);
}
