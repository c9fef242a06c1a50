import { apiRoute, reply } from "@/server/http/api-route";
import { verifyProviderConnection } from "@/server/services/provider-connections/verify-provider-connection";

// POST /api/v1/provider_connections/:id/verify — test the credentials without sending an email
export const POST = apiRoute({}, async ({ tenantId, params }) => {
  const { result } = await verifyProviderConnection(tenantId, params.id!);
  return reply({ verification: { status: result.status, message: result.message } });
});
