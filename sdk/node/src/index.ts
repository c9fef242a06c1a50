/** @courierx/node: the CourierX email API for Node.js (ESM, no dependencies beyond the global fetch). */
export { CourierX, DEFAULT_BASE_URL, type CourierXOptions } from "./client.js";
export {
  AuthenticationError,
  ConflictError,
  ConnectionError,
  CourierXError,
  NotFoundError,
  PermissionError,
  RateLimitError,
  ServerError,
  ValidationError,
  WebhookVerificationError,
} from "./errors.js";
export type { FetchLike } from "./http.js";
export type { Page, PageParams, Pagination } from "./pagination.js";
export type { CreateApiKeyParams } from "./resources/api-keys.js";
export type { Attachment, BatchResult, ListEmailsParams, ProviderOverrides, SendEmailParams, SmtpTransportOverride } from "./resources/emails.js";
export type { CreateProviderConnectionParams, ProviderConnectionFields } from "./resources/provider-connections.js";
export type { CreateRoutingRuleParams, RoutingRuleFields } from "./resources/routing-rules.js";
export type { CreateSuppressionParams, ListSuppressionsParams } from "./resources/suppressions.js";
export type { ListDeliveriesParams, WebhookEndpointFields } from "./resources/webhook-endpoints.js";
export type { RegisterParams } from "./resources/auth.js";
export * from "./types.js";
export { DEFAULT_TOLERANCE_SECONDS, verifyWebhook, type VerifyOptions, type WebhookHeaders } from "./webhooks.js";
