import { DB_NOW, getDb, milliseconds, Prisma } from "../../db";
import type { DeliveryRef } from "../events/outbox";

/**
 * Across tenants (hence unsafe…: the outbox sweep serves every tenant): pending deliveries whose run has
 * not started (dispatchedAt is set by the run's first step) this long after they were written — their
 * request was lost (a crash between the event's statement and the emit, the engine away) or is still
 * queued. Re-requesting is safe: the event id and the function's idempotency key start one run per
 * delivery. Oldest first, on the (status, dispatchedAt, createdAt) index, compared on the database clock.
 */
export async function unsafeFindUndispatchedDeliveries(olderThanMs: number, limit: number): Promise<DeliveryRef[]> {
  const db = await getDb();
  return db.$queryRaw<DeliveryRef[]>(Prisma.sql`
    SELECT "id" AS "deliveryId", "tenantId", "endpointId" FROM "WebhookDelivery"
    WHERE "status" = 'pending' AND "dispatchedAt" IS NULL AND "createdAt" < ${DB_NOW} - ${milliseconds(olderThanMs)}
    ORDER BY "createdAt"
    LIMIT ${limit}::int`);
}
