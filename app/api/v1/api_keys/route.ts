import { apiRoute, reply } from "@/server/http/api-route";
import { methods } from "@/server/http/methods";
import { presentApiKey } from "@/server/http/presenters/api-keys";
import { paginationHeaders, paginationQuery } from "@/server/lib/pagination";
import { createApiKey } from "@/server/services/api-keys/create-api-key";
import { listApiKeys } from "@/server/services/api-keys/list-api-keys";
import { createApiKeyInput } from "@/server/services/api-keys/schemas";

export const { GET, HEAD, OPTIONS, POST, PUT, PATCH, DELETE } = methods({
  // POST /api/v1/api_keys — create a key; the raw key is in this response only
  POST: apiRoute({ body: createApiKeyInput }, async ({ tenantId, body }) => {
    const { apiKey, rawKey } = await createApiKey(tenantId, body);
    return reply(presentApiKey(apiKey, rawKey), { status: 201 });
  }),

  // GET /api/v1/api_keys — list keys (prefix only), newest first
  GET: apiRoute({ query: paginationQuery }, async ({ tenantId, query }) => {
    const { items, total } = await listApiKeys(tenantId, query);
    return reply(items.map((k) => presentApiKey(k)), { headers: paginationHeaders(query, total) });
  }),
});
