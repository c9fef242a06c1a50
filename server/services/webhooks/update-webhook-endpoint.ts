import { getDb } from "../../db";
import { checkWebhookUrl } from "./check-webhook-url";
import { getWebhookEndpointOrThrow } from "./get-webhook-endpoint";
import type { UpdateWebhookEndpointInput } from "./schemas";
import { stopPendingDeliveries } from "./stop-pending-deliveries";

/**
 * url, description, events, active. Re-activating clears why it was disabled and its failing streak (the
 * 3-day clock starts again); deactivating stops its pending deliveries.
 */
export async function updateWebhookEndpoint(tenantId: string, id: string, input: UpdateWebhookEndpointInput) {
  const existing = await getWebhookEndpointOrThrow(tenantId, id);
  if (input.url !== undefined && input.url !== existing.url) await checkWebhookUrl(input.url);
  const reactivated = input.active === true && !existing.active;
  const db = await getDb();
  const endpoint = await db.webhookEndpoint.update({
    where: { id: existing.id, tenantId },
    data: {
      ...(input.url !== undefined ? { url: input.url } : {}),
      ...(input.description !== undefined ? { description: input.description } : {}),
      ...(input.events !== undefined ? { events: [...new Set(input.events)] } : {}),
      ...(input.active !== undefined ? { active: input.active } : {}),
      ...(reactivated ? { disabledReason: null, failingSince: null } : {}),
    },
  });
  if (input.active === false) await stopPendingDeliveries(tenantId, endpoint.id, "The endpoint was deactivated");
  return endpoint;
}
