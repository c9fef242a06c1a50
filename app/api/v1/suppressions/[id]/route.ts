import { apiRoute, reply } from "@/server/http/api-route";
import { methods } from "@/server/http/methods";
import { deleteSuppression } from "@/server/services/suppressions/delete-suppression";

export const { GET, HEAD, OPTIONS, POST, PUT, PATCH, DELETE } = methods({
  // DELETE /api/v1/suppressions/:id — allow sending to the address again
  DELETE: apiRoute({}, async ({ tenantId, params }) => {
    await deleteSuppression(tenantId, params.id!);
    return reply(undefined, { status: 204 });
  }),
});
