import { apiRoute, reply } from "@/server/http/api-route";
import { presentApiKey } from "@/server/http/presenters/api-keys";
import { revokeApiKey } from "@/server/services/api-keys/revoke-api-key";

// POST /api/v1/api_keys/:id/revoke — revoke a key; it is refused from the next request on
export const POST = apiRoute({}, async ({ tenantId, params }) => reply(presentApiKey(await revokeApiKey(tenantId, params.id!))));
