/**
 * Retention of the event pipeline's bookkeeping: finished outgoing-webhook deliveries older than
 * WEBHOOK_LOG_RETENTION (their attempt logs go with them, ON DELETE CASCADE) and provider-webhook replay
 * tokens past their expiry. Pending deliveries are never deleted. Bounded batches, like the engine's pruning;
 * across every tenant by design (a retention sweep), hence `unsafe`.
 */
import { DB_NOW, getDb, Prisma } from "../../db";

const BATCH = 1_000;

export async function unsafePruneEventLogs(options: { olderThanMs: number; maxBatches?: number }): Promise<{ deliveries: number; tokens: number; more: boolean }> {
  const db = await getDb();
  const cutoff = Prisma.sql`${DB_NOW} - (${Math.round(options.olderThanMs)}::bigint * interval '1 millisecond')`;
  let deliveries = 0;
  let more = true;
  for (let i = 0; i < (options.maxBatches ?? 10) && more; i++) {
    const count = await db.$executeRaw`
      DELETE FROM "WebhookDelivery" d
      USING (
        SELECT id FROM "WebhookDelivery"
        WHERE status IN ('succeeded', 'failed') AND "createdAt" < ${cutoff}
        LIMIT ${BATCH}
        FOR UPDATE SKIP LOCKED
      ) doomed
      WHERE d.id = doomed.id AND d.status IN ('succeeded', 'failed')`;
    deliveries += count;
    more = count === BATCH;
  }
  const tokens = await db.$executeRaw`DELETE FROM "SeenWebhookToken" WHERE "expiresAt" < ${DB_NOW}`;
  return { deliveries, tokens, more };
}
