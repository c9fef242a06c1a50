import { paginationQuery } from "../../lib/pagination";
import { createProviderConnectionInput, updateProviderConnectionInput } from "../../services/provider-connections/schemas";
import { pageOf, type OperationEntry } from "../operation";
import { providerConnectionResponse, verifyResponse } from "../responses/provider-connections";

const CREDENTIALS =
  "Credentials per provider: `sendgrid` api_key; `mailgun` api_key, smtp_host (the sending domain), region (us / eu); `aws_ses` api_key (access key ID), secret, region; `postmark` api_key (server token); `resend` api_key; `smtp` smtp_host, smtp_port, api_key (username) and secret (password) together or neither.";

export const providerConnectionOperations: OperationEntry[] = [
  {
    method: "post",
    path: "/provider_connections",
    operationId: "createProviderConnection",
    tag: "Provider connections",
    summary: "Connect a provider",
    description: `Credentials are encrypted at rest (AES-256-GCM), then verified with the provider; the answer carries the verification's result. ${CREDENTIALS} Endpoints and SMTP hosts may not point at private addresses. A Postmark connection's generated event-webhook credentials are in this answer only.`,
    body: { schema: createProviderConnectionInput, example: { provider: "sendgrid", display_name: "SendGrid Primary", priority: 1, api_key: "SG.your-sendgrid-api-key" } },
    success: { status: 201, description: "The connection (never its credentials) and its verification.", schema: providerConnectionResponse },
  },
  {
    method: "get",
    path: "/provider_connections",
    operationId: "listProviderConnections",
    tag: "Provider connections",
    summary: "List provider connections",
    description: "In failover order (priority), with their health.",
    query: paginationQuery,
    success: pageOf(providerConnectionResponse, "connections"),
  },
  {
    method: "get",
    path: "/provider_connections/{id}",
    operationId: "getProviderConnection",
    tag: "Provider connections",
    summary: "Get a provider connection",
    success: { status: 200, description: "The connection with its verification and health.", schema: providerConnectionResponse },
  },
  {
    method: "patch",
    path: "/provider_connections/{id}",
    operationId: "updateProviderConnection",
    tag: "Provider connections",
    summary: "Update or rotate credentials",
    description:
      "Send only what changes. New credentials are verified again. Changing where credentials go (endpoint, region, smtp_host, smtp_port, TLS settings) requires sending the credentials again. `webhook_signing_key` / `sns_topic_arn` set (or, with null, remove) what authenticates the provider's events.",
    body: { schema: updateProviderConnectionInput, example: { priority: 2, api_key: "SG.the-rotated-key" } },
    success: { status: 200, description: "The updated connection.", schema: providerConnectionResponse },
  },
  {
    method: "post",
    path: "/provider_connections/{id}/verify",
    operationId: "verifyProviderConnection",
    tag: "Provider connections",
    summary: "Test credentials",
    description: "Checks the stored credentials with the provider without sending an email.",
    success: { status: 200, description: "The provider's answer.", schema: verifyResponse },
  },
  {
    method: "post",
    path: "/provider_connections/{id}/rotate_webhook_credentials",
    operationId: "rotateProviderWebhookCredentials",
    tag: "Provider connections",
    summary: "Rotate Postmark webhook credentials",
    description: "Postmark only: new Basic credentials for the event webhook URL, shown in this answer only (in `events_webhook.url`). The old ones stop working.",
    errors: [409, 422],
    success: { status: 200, description: "The connection with the new webhook URL.", schema: providerConnectionResponse },
  },
  {
    method: "delete",
    path: "/provider_connections/{id}",
    operationId: "deleteProviderConnection",
    tag: "Provider connections",
    summary: "Disconnect a provider",
    success: { status: 204, description: "Disconnected." },
  },
];
