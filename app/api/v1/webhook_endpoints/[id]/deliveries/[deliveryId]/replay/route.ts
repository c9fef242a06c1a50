import { apiRoute, reply } from "@/server/http/api-route";
import { methods } from "@/server/http/methods";
// Registers the outbox dispatcher in this route's bundle, so the new delivery's run is requested at once.
import "@/server/jobs/client";
import { presentWebhookDelivery } from "@/server/http/presenters/webhook-endpoints";
import { replayWebhookDelivery } from "@/server/services/webhooks/replay-webhook-delivery";

export const { GET, HEAD, OPTIONS, POST, PUT, PATCH, DELETE } = methods({
  // POST /api/v1/webhook_endpoints/:id/deliveries/:delivery_id/replay — send it again as a new delivery (same webhook-id)
  POST: apiRoute({}, async ({ tenantId, params }) => reply(presentWebhookDelivery(await replayWebhookDelivery(tenantId, params.id!, params.deliveryId!)), { status: 202 })),
});
