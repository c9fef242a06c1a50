import { apiRoute, reply } from "@/server/http/api-route";
import { deleteApiKey } from "@/server/services/api-keys/delete-api-key";

// DELETE /api/v1/api_keys/:id — delete a key permanently
export const DELETE = apiRoute({}, async ({ tenantId, params }) => {
  await deleteApiKey(tenantId, params.id!);
  return reply(undefined, { status: 204 });
});
