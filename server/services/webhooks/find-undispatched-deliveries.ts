import { DB_NOW, getDb, milliseconds, Prisma } from "../../db";
import type { DeliveryRef } from "../events/outbox";

/** Where the outbox sweep stopped: the (createdAt, id) of the last delivery it read. */
export interface OutboxSweepPosition {
  position: string;
  lastId: string | null;
}

const CURSOR = "webhooks-dispatch-stale";

/**
 * Across tenants (hence unsafe…: the outbox sweep serves every tenant): pending deliveries whose run has
 * not started (dispatchedAt is set by the run's first step) this long after they were written — their
 * request was lost (a crash between the event's statement and the emit, the engine away) or is still
 * queued (waiting behind a concurrency limit looks the same). Re-requesting is safe: the event id and the
 * function's idempotency key start one run per delivery.
 *
 * The sweep walks (createdAt, id) forward from where it stopped (`SweepCursor`), on the (status,
 * dispatchedAt, createdAt) index, and moves past every row it read: each delivery is re-requested once,
 * when it is first seen stale, so rows waiting behind a busy endpoint are read once instead of filling
 * every batch ahead of another tenant's lost dispatch. A row can only leave this set (dispatched, ended),
 * never join it behind the cursor, as long as a row's createdAt is within the stale threshold of when
 * it commits (one statement; the app's and the database's clocks agree within it). The caller saves the
 * returned position after it re-requested the batch.
 */
export async function unsafeFindUndispatchedDeliveries(olderThanMs: number, limit: number): Promise<{ deliveries: DeliveryRef[]; next: OutboxSweepPosition | null }> {
  const db = await getDb();
  const cursor = await db.sweepCursor.findUnique({ where: { name: CURSOR } });
  const after = cursor ? Prisma.sql`AND ("createdAt", "id") > (${cursor.position}, ${cursor.lastId ?? "00000000-0000-0000-0000-000000000000"}::uuid)` : Prisma.empty;
  const rows = await db.$queryRaw<(DeliveryRef & { createdAt: Date })[]>(Prisma.sql`
    SELECT "id" AS "deliveryId", "tenantId", "endpointId", "createdAt" FROM "WebhookDelivery"
    WHERE "status" = 'pending' AND "dispatchedAt" IS NULL AND "createdAt" < ${DB_NOW} - ${milliseconds(olderThanMs)} ${after}
    ORDER BY "createdAt", "id"
    LIMIT ${limit}::int`);
  const last = rows.at(-1);
  return {
    deliveries: rows.map(({ deliveryId, tenantId, endpointId }) => ({ deliveryId, tenantId, endpointId })),
    next: last ? { position: last.createdAt.toISOString(), lastId: last.deliveryId } : null,
  };
}

export async function unsafeSaveOutboxSweepPosition(next: OutboxSweepPosition): Promise<void> {
  const db = await getDb();
  const position = new Date(next.position);
  await db.sweepCursor.upsert({ where: { name: CURSOR }, create: { name: CURSOR, position, lastId: next.lastId }, update: { position, lastId: next.lastId } });
}
