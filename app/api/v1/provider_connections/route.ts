import { apiRoute, reply } from "@/server/http/api-route";
import { methods } from "@/server/http/methods";
import { presentProviderConnection } from "@/server/http/presenters/provider-connections";
import { publicBaseUrl } from "@/server/http/public-base-url";
import { paginationHeaders, paginationQuery } from "@/server/lib/pagination";
import { createProviderConnection } from "@/server/services/provider-connections/create-provider-connection";
import { listProviderConnections } from "@/server/services/provider-connections/list-provider-connections";
import { createProviderConnectionInput } from "@/server/services/provider-connections/schemas";

export const { GET, HEAD, OPTIONS, POST, PUT, PATCH, DELETE } = methods({
  // POST /api/v1/provider_connections — connect a provider; credentials are encrypted, then verified
  // (a Postmark connection's generated webhook credentials are in this answer only)
  POST: apiRoute({ body: createProviderConnectionInput }, async ({ req, tenantId, body }) => {
    const { row, result, webhookCredentials } = await createProviderConnection(tenantId, body);
    return reply(presentProviderConnection(row, { baseUrl: publicBaseUrl(req), verification: result, webhookCredentials }), { status: 201 });
  }),

  // GET /api/v1/provider_connections — list connections by priority, with their health
  GET: apiRoute({ query: paginationQuery }, async ({ req, tenantId, query }) => {
    const { items, total } = await listProviderConnections(tenantId, query);
    const baseUrl = publicBaseUrl(req);
    return reply(items.map((row) => presentProviderConnection(row, { baseUrl })), { headers: paginationHeaders(query, total) });
  }),
});
