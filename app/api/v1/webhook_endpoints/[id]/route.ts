import { apiRoute, reply } from "@/server/http/api-route";
import { methods } from "@/server/http/methods";
import { presentWebhookEndpoint } from "@/server/http/presenters/webhook-endpoints";
import { deleteWebhookEndpoint } from "@/server/services/webhooks/delete-webhook-endpoint";
import { getWebhookEndpointOrThrow } from "@/server/services/webhooks/get-webhook-endpoint";
import { updateWebhookEndpointInput } from "@/server/services/webhooks/schemas";
import { updateWebhookEndpoint } from "@/server/services/webhooks/update-webhook-endpoint";

export const { GET, HEAD, OPTIONS, POST, PUT, PATCH, DELETE } = methods({
  // GET /api/v1/webhook_endpoints/:id — one endpoint (never its secret; URL credentials masked)
  GET: apiRoute({}, async ({ tenantId, params }) => reply(presentWebhookEndpoint(await getWebhookEndpointOrThrow(tenantId, params.id!)))),

  // PATCH /api/v1/webhook_endpoints/:id — url, description, events, active (re-activating clears disabled_reason); the masked URL sent back keeps the stored one
  PATCH: apiRoute({ body: updateWebhookEndpointInput }, async ({ tenantId, params, body }) => reply(presentWebhookEndpoint(await updateWebhookEndpoint(tenantId, params.id!, body)))),

  // DELETE /api/v1/webhook_endpoints/:id — remove it and its deliveries
  DELETE: apiRoute({}, async ({ tenantId, params }) => {
    await deleteWebhookEndpoint(tenantId, params.id!);
    return reply(undefined, { status: 204 });
  }),
});
