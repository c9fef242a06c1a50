import { apiRoute, reply } from "@/server/http/api-route";
import { presentApiKey } from "@/server/http/presenters/api-keys";
import { paginationHeaders, paginationQuery } from "@/server/lib/pagination";
import { createApiKey } from "@/server/services/api-keys/create-api-key";
import { listApiKeys } from "@/server/services/api-keys/list-api-keys";
import { createApiKeyInput } from "@/server/services/api-keys/schemas";

// POST /api/v1/api_keys — create a key; the raw key is in this response only
export const POST = apiRoute({ body: createApiKeyInput }, async ({ tenantId, body }) => {
  const { apiKey, rawKey } = await createApiKey(tenantId, body);
  return reply(presentApiKey(apiKey, rawKey), { status: 201 });
});

// GET /api/v1/api_keys — list keys (prefix only), newest first
export const GET = apiRoute({ query: paginationQuery }, async ({ tenantId, query }) => {
  const { items, total } = await listApiKeys(tenantId, query);
  return reply(items.map((k) => presentApiKey(k)), { headers: paginationHeaders(query, total) });
});
