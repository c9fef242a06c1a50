import { apiRoute, reply } from "@/server/http/api-route";
import { methods } from "@/server/http/methods";
// Registers the outbox dispatcher in this route's bundle, so the new delivery's run is requested at once.
import "@/server/jobs/client";
import { presentWebhookDelivery } from "@/server/http/presenters/webhook-endpoints";
import { sendTestWebhook } from "@/server/services/webhooks/send-test-webhook";

export const { GET, HEAD, OPTIONS, POST, PUT, PATCH, DELETE } = methods({
  // POST /api/v1/webhook_endpoints/:id/test — deliver a sample event marked test: true
  POST: apiRoute({}, async ({ tenantId, params }) => reply(presentWebhookDelivery(await sendTestWebhook(tenantId, params.id!)), { status: 202 })),
});
