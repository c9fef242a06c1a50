import { apiRoute, reply } from "@/server/http/api-route";
import { deleteSuppression } from "@/server/services/suppressions/delete-suppression";

// DELETE /api/v1/suppressions/:id — allow sending to the address again
export const DELETE = apiRoute({}, async ({ tenantId, params }) => {
  await deleteSuppression(tenantId, params.id!);
  return reply(undefined, { status: 204 });
});
