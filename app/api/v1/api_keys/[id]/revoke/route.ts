import { apiRoute, reply } from "@/server/http/api-route";
import { methods } from "@/server/http/methods";
import { presentApiKey } from "@/server/http/presenters/api-keys";
import { revokeApiKey } from "@/server/services/api-keys/revoke-api-key";

export const { GET, HEAD, OPTIONS, POST, PUT, PATCH, DELETE } = methods({
  // POST /api/v1/api_keys/:id/revoke — revoke a key; it is refused from the next request on
  POST: apiRoute({}, async ({ tenantId, params }) => reply(presentApiKey(await revokeApiKey(tenantId, params.id!)))),
});
