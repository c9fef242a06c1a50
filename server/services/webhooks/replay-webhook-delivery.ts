import { getDb, type Prisma } from "../../db";
import { AppError } from "../../lib/errors";
import { createDelivery } from "./create-delivery";
import { activeEndpointOrThrow } from "./get-webhook-endpoint";

/**
 * Sends a delivery again as a new delivery row pointing at it: the same `webhook-id` and payload (so a
 * receiver that already handled it can tell), its own attempts, dispatched at once.
 */
export async function replayWebhookDelivery(tenantId: string, endpointId: string, deliveryId: string) {
  const endpoint = await activeEndpointOrThrow(tenantId, endpointId);
  const db = await getDb();
  const original = await db.webhookDelivery.findFirst({ where: { id: deliveryId, endpointId: endpoint.id, tenantId } });
  if (!original) throw AppError.notFound();
  return createDelivery({
    tenantId,
    endpointId: endpoint.id,
    eventType: original.eventType,
    emailId: original.emailId,
    messageId: original.messageId,
    payload: original.payload as Prisma.InputJsonObject,
    replayOfId: original.id,
  });
}
