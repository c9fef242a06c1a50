import { apiRoute, reply } from "@/server/http/api-route";
import { methods } from "@/server/http/methods";
import { deleteApiKey } from "@/server/services/api-keys/delete-api-key";

export const { GET, HEAD, OPTIONS, POST, PUT, PATCH, DELETE } = methods({
  // DELETE /api/v1/api_keys/:id — delete a key permanently
  DELETE: apiRoute({}, async ({ tenantId, params }) => {
    await deleteApiKey(tenantId, params.id!);
    return reply(undefined, { status: 204 });
  }),
});
