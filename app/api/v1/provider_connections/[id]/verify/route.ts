import { apiRoute, reply } from "@/server/http/api-route";
import { methods } from "@/server/http/methods";
import { verifyProviderConnection } from "@/server/services/provider-connections/verify-provider-connection";

export const { GET, HEAD, OPTIONS, POST, PUT, PATCH, DELETE } = methods({
  // POST /api/v1/provider_connections/:id/verify — test the credentials without sending an email
  POST: apiRoute({}, async ({ tenantId, params }) => {
    const { result } = await verifyProviderConnection(tenantId, params.id!);
    return reply({ verification: { status: result.status, message: result.message } });
  }),
});
