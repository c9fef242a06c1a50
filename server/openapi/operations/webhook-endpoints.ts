import { paginationQuery } from "../../lib/pagination";
import { createWebhookEndpointInput, listWebhookDeliveriesQuery, updateWebhookEndpointInput } from "../../services/webhooks/schemas";
import { pageOf, type OperationEntry } from "../operation";
import { createdWebhookEndpointResponse, rotatedSecretResponse, webhookDeliveryResponse, webhookEndpointResponse } from "../responses/webhook-endpoints";

const TAG = "Webhook endpoints";

export const webhookEndpointOperations: OperationEntry[] = [
  {
    method: "post",
    path: "/webhook_endpoints",
    operationId: "createWebhookEndpoint",
    tag: TAG,
    summary: "Register a webhook endpoint",
    description:
      "Events are POSTed to the URL, signed in the Standard Webhooks format (see the webhook `emailEvent`), retried with backoff for about 24 hours. An empty `events` list subscribes to every event type. At most 20 endpoints per account. The signing secret is in this answer only.",
    body: { schema: createWebhookEndpointInput, example: { url: "https://yourapp.com/webhooks/email", description: "Email delivery events", events: ["delivered", "bounced", "opened", "clicked"] } },
    success: { status: 201, description: "The endpoint and its signing secret.", schema: createdWebhookEndpointResponse },
  },
  {
    method: "get",
    path: "/webhook_endpoints",
    operationId: "listWebhookEndpoints",
    tag: TAG,
    summary: "List webhook endpoints",
    description: "Newest first; credentials in URLs masked.",
    query: paginationQuery,
    success: pageOf(webhookEndpointResponse, "endpoints"),
  },
  {
    method: "get",
    path: "/webhook_endpoints/{id}",
    operationId: "getWebhookEndpoint",
    tag: TAG,
    summary: "Get a webhook endpoint",
    success: { status: 200, description: "The endpoint (never its secret).", schema: webhookEndpointResponse },
  },
  {
    method: "patch",
    path: "/webhook_endpoints/{id}",
    operationId: "updateWebhookEndpoint",
    tag: TAG,
    summary: "Update a webhook endpoint",
    description: "URL, description, events or active. Re-activating clears `disabled_reason`; sending back the masked URL keeps the stored one.",
    body: { schema: updateWebhookEndpointInput, example: { events: ["delivered", "bounced"], active: true } },
    success: { status: 200, description: "The updated endpoint.", schema: webhookEndpointResponse },
  },
  {
    method: "delete",
    path: "/webhook_endpoints/{id}",
    operationId: "deleteWebhookEndpoint",
    tag: TAG,
    summary: "Remove a webhook endpoint",
    description: "And its deliveries.",
    success: { status: 204, description: "Removed." },
  },
  {
    method: "post",
    path: "/webhook_endpoints/{id}/rotate_secret",
    operationId: "rotateWebhookSecret",
    tag: TAG,
    summary: "Rotate the signing secret",
    description: "For 24 hours deliveries carry a signature with each secret, so receivers can switch without losing events.",
    errors: [409],
    success: { status: 200, description: "The new secret.", schema: rotatedSecretResponse },
  },
  {
    method: "post",
    path: "/webhook_endpoints/{id}/test",
    operationId: "sendTestWebhook",
    tag: TAG,
    summary: "Send a test event",
    description: "Delivers a sample event marked `test: true`. An inactive endpoint is 422.",
    errors: [422],
    success: { status: 202, description: "The delivery, queued.", schema: webhookDeliveryResponse },
  },
  {
    method: "get",
    path: "/webhook_endpoints/{id}/deliveries",
    operationId: "listWebhookDeliveries",
    tag: TAG,
    summary: "List deliveries",
    description: "Newest first, each with its attempts. Filter: `status`. A test key sees deliveries of test events only.",
    query: paginationQuery.extend(listWebhookDeliveriesQuery.shape),
    success: pageOf(webhookDeliveryResponse, "deliveries"),
  },
  {
    method: "post",
    path: "/webhook_endpoints/{id}/deliveries/{deliveryId}/replay",
    operationId: "replayWebhookDelivery",
    tag: TAG,
    summary: "Replay a delivery",
    description: "Sends it again as a new delivery with the same `webhook-id` and payload, so a receiver that de-duplicates by it sees one event. An inactive endpoint is 422.",
    errors: [422],
    success: { status: 202, description: "The new delivery, queued.", schema: webhookDeliveryResponse },
  },
];
