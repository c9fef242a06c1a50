import { randomUUID } from "node:crypto";
import { uuidv7 } from "../../lib/ids";
import { createDelivery } from "./create-delivery";
import { activeEndpointOrThrow } from "./get-webhook-endpoint";
import type { WebhookPayload } from "./payload";

/**
 * A sample `delivered` event, marked `test: true`, delivered like any other (signed, retried, logged),
 * whatever event types the endpoint subscribes to. Its email id is a fresh sample id, not an email.
 */
export async function sendTestWebhook(tenantId: string, endpointId: string) {
  const endpoint = await activeEndpointOrThrow(tenantId, endpointId);
  const payload: WebhookPayload = {
    event: "delivered",
    email_id: randomUUID(),
    recipient: "test@example.com",
    provider: "sandbox",
    timestamp: new Date().toISOString(),
    metadata: { courierx_test_event: true },
    sequence: 1,
    test: true,
  };
  return createDelivery({ tenantId, endpointId: endpoint.id, eventType: payload.event, emailId: null, messageId: `msg_${uuidv7()}`, payload: { ...payload } });
}
