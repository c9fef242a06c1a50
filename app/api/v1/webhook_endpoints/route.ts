import { apiRoute, reply } from "@/server/http/api-route";
import { methods } from "@/server/http/methods";
import { presentWebhookEndpoint } from "@/server/http/presenters/webhook-endpoints";
import { paginationHeaders, paginationQuery } from "@/server/lib/pagination";
import { createWebhookEndpoint } from "@/server/services/webhooks/create-webhook-endpoint";
import { listWebhookEndpoints } from "@/server/services/webhooks/list-webhook-endpoints";
import { createWebhookEndpointInput } from "@/server/services/webhooks/schemas";

export const { GET, HEAD, OPTIONS, POST, PUT, PATCH, DELETE } = methods({
  // POST /api/v1/webhook_endpoints — register a URL for outgoing events (at most 20 per tenant); its signing secret and the URL's credentials are shown only here
  POST: apiRoute({ body: createWebhookEndpointInput }, async ({ tenantId, body }) => {
    const { endpoint, secret } = await createWebhookEndpoint(tenantId, body);
    return reply({ ...presentWebhookEndpoint(endpoint, { revealUrl: true }), secret }, { status: 201 });
  }),

  // GET /api/v1/webhook_endpoints — list, newest first (URL credentials masked)
  GET: apiRoute({ query: paginationQuery }, async ({ tenantId, query }) => {
    const { items, total } = await listWebhookEndpoints(tenantId, query);
    return reply(items.map((row) => presentWebhookEndpoint(row)), { headers: paginationHeaders(query, total) });
  }),
});
