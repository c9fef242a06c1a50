import { getDb, type Prisma } from "../../db";

/**
 * A disabled endpoint's pending deliveries end as failed, with the reason. A run sleeping before its next
 * attempt then finds its delivery no longer pending and stops; a replay after re-activation sends one again.
 */
export function stopPendingDeliveries(tenantId: string, endpointId: string, reason: string): Promise<number> {
  return failPending({ tenantId, endpointId }, reason);
}

/** One delivery ends as failed with the reason, if it is still pending. */
export async function failPendingDelivery(tenantId: string, deliveryId: string, reason: string): Promise<void> {
  await failPending({ tenantId, id: deliveryId }, reason);
}

async function failPending(where: Prisma.WebhookDeliveryWhereInput & { tenantId: string }, reason: string): Promise<number> {
  const db = await getDb();
  const { count } = await db.webhookDelivery.updateMany({
    where: { ...where, status: "pending" },
    data: { status: "failed", lastError: reason, nextAttemptAt: null, completedAt: new Date() },
  });
  return count;
}
