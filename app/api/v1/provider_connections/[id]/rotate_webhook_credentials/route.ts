import { apiRoute, reply } from "@/server/http/api-route";
import { methods } from "@/server/http/methods";
import { presentProviderConnection } from "@/server/http/presenters/provider-connections";
import { publicBaseUrl } from "@/server/http/public-base-url";
import { rotateWebhookCredentials } from "@/server/services/provider-connections/rotate-webhook-credentials";

export const { GET, HEAD, OPTIONS, POST, PUT, PATCH, DELETE } = methods({
  // POST /api/v1/provider_connections/:id/rotate_webhook_credentials — Postmark: new event-webhook credentials, shown in this answer only
  POST: apiRoute({}, async ({ req, tenantId, params }) => {
    const { row, webhookCredentials } = await rotateWebhookCredentials(tenantId, params.id!);
    return reply(presentProviderConnection(row, { baseUrl: publicBaseUrl(req), webhookCredentials }));
  }),
});
