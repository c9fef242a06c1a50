import { getDb } from "../../db";
import { checkWebhookUrl } from "./check-webhook-url";
import { getWebhookEndpointOrThrow } from "./get-webhook-endpoint";
import type { UpdateWebhookEndpointInput } from "./schemas";
import { stopPendingDeliveries } from "./stop-pending-deliveries";
import { isMaskedFormOf } from "./webhook-url";

/**
 * url, description, events, active. Re-activating clears why it was disabled and its failing streak (the
 * 3-day clock starts again); deactivating stops its pending deliveries. A `url` that is the stored URL as
 * answers show it (credentials masked) leaves the stored URL as it is, instead of saving the mask.
 */
export async function updateWebhookEndpoint(tenantId: string, id: string, requested: UpdateWebhookEndpointInput) {
  const existing = await getWebhookEndpointOrThrow(tenantId, id);
  const input = requested.url !== undefined && isMaskedFormOf(requested.url, existing.url) ? { ...requested, url: existing.url } : requested;
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
