import { apiRoute, reply } from "@/server/http/api-route";
import { methods } from "@/server/http/methods";
import { presentWebhookDelivery } from "@/server/http/presenters/webhook-endpoints";
import { paginationHeaders, paginationQuery } from "@/server/lib/pagination";
import { listWebhookDeliveries } from "@/server/services/webhooks/list-webhook-deliveries";
import { listWebhookDeliveriesQuery } from "@/server/services/webhooks/schemas";

export const { GET, HEAD, OPTIONS, POST, PUT, PATCH, DELETE } = methods({
  // GET /api/v1/webhook_endpoints/:id/deliveries — newest first, each with its attempts (filter `status`); a test key sees test events only
  GET: apiRoute({ query: paginationQuery.extend(listWebhookDeliveriesQuery.shape) }, async ({ tenantId, principal, params, query }) => {
    const { items, total } = await listWebhookDeliveries(tenantId, principal, params.id!, query, query);
    return reply(items.map(presentWebhookDelivery), { headers: paginationHeaders(query, total) });
  }),
});
