import { apiRoute, reply } from "@/server/http/api-route";
import { methods } from "@/server/http/methods";
import { presentWebhookDelivery } from "@/server/http/presenters/webhook-endpoints";
import { sendTestWebhook } from "@/server/services/webhooks/send-test-webhook";

export const { GET, HEAD, OPTIONS, POST, PUT, PATCH, DELETE } = methods({
  // POST /api/v1/webhook_endpoints/:id/test — deliver a sample event marked test: true
  POST: apiRoute({}, async ({ tenantId, params }) => reply(presentWebhookDelivery(await sendTestWebhook(tenantId, params.id!)), { status: 202 })),
});
