import { apiRoute, reply } from "@/server/http/api-route";
import { methods } from "@/server/http/methods";
import { presentProviderConnection } from "@/server/http/presenters/provider-connections";
import { publicBaseUrl } from "@/server/http/public-base-url";
import { deleteProviderConnection } from "@/server/services/provider-connections/delete-provider-connection";
import { getProviderConnectionOrThrow } from "@/server/services/provider-connections/get-provider-connection";
import { updateProviderConnectionInput } from "@/server/services/provider-connections/schemas";
import { updateProviderConnection } from "@/server/services/provider-connections/update-provider-connection";

export const { GET, HEAD, OPTIONS, POST, PUT, PATCH, DELETE } = methods({
  // GET /api/v1/provider_connections/:id — one connection with its verification and health
  GET: apiRoute({}, async ({ req, tenantId, params }) =>
    reply(presentProviderConnection(await getProviderConnectionOrThrow(tenantId, params.id!), { baseUrl: publicBaseUrl(req) })),
  ),

  // PATCH /api/v1/provider_connections/:id — update settings or rotate credentials (re-verified), or the event-webhook keys
  PATCH: apiRoute({ body: updateProviderConnectionInput }, async ({ req, tenantId, params, body }) => {
    const { row, result } = await updateProviderConnection(tenantId, params.id!, body);
    return reply(presentProviderConnection(row, { baseUrl: publicBaseUrl(req), verification: result }));
  }),

  // DELETE /api/v1/provider_connections/:id — disconnect a provider
  DELETE: apiRoute({}, async ({ tenantId, params }) => {
    await deleteProviderConnection(tenantId, params.id!);
    return reply(undefined, { status: 204 });
  }),
});
