import { snakeKeys } from "../case.js";
import type { HttpClient } from "../http.js";
import type { ProviderConnection, ProviderName, Verification } from "../types.js";
import { at, Resource } from "./resource.js";

/** The connection's settings and credentials; which apply depends on the provider (see the README). */
export interface ProviderConnectionFields {
  displayName?: string;
  /** Lower is tried first (default 1). */
  priority?: number;
  /** Share under the weighted strategy (default 1). */
  weight?: number;
  enabled?: boolean;
  /** The provider's API key (SES: access key ID; SMTP: username). */
  apiKey?: string;
  /** SES: secret access key; SMTP: password. */
  secret?: string;
  region?: string;
  /** SMTP host, or Mailgun's sending domain. */
  smtpHost?: string;
  smtpPort?: number;
  secure?: boolean;
  requireTls?: boolean;
  tlsRejectUnauthorized?: boolean;
  /** An API endpoint override (http/https URL), or null to remove it. */
  endpoint?: string | null;
  /** Authenticates the provider's events (SendGrid verification key, Mailgun signing key, Resend secret). */
  webhookSigningKey?: string | null;
  /** SES: the SNS topic whose messages the event webhook accepts. */
  snsTopicArn?: string | null;
}

export interface CreateProviderConnectionParams extends ProviderConnectionFields {
  provider: ProviderName;
}

export class ProviderConnections extends Resource<ProviderConnection> {
  constructor(http: HttpClient) {
    super(http, "/provider_connections");
  }

  /** POST /provider_connections: credentials are encrypted at rest and verified; `verification` says how that went. */
  create(params: CreateProviderConnectionParams): Promise<ProviderConnection> {
    return this.call<ProviderConnection>("POST", "", snakeKeys(params));
  }

  get(id: string): Promise<ProviderConnection> {
    return this.call<ProviderConnection>("GET", at(id));
  }

  /** PATCH /provider_connections/:id: settings or rotated credentials (re-verified). */
  update(id: string, params: ProviderConnectionFields): Promise<ProviderConnection> {
    return this.call<ProviderConnection>("PATCH", at(id), snakeKeys(params));
  }

  /** POST /provider_connections/:id/verify: tests the credentials without sending. */
  async verify(id: string): Promise<Verification> {
    return (await this.call<{ verification: Verification }>("POST", at(id, "verify"))).verification;
  }

  /** POST /provider_connections/:id/rotate_webhook_credentials: Postmark's new event-webhook URL, shown once. */
  rotateWebhookCredentials(id: string): Promise<ProviderConnection> {
    return this.call<ProviderConnection>("POST", at(id, "rotate_webhook_credentials"));
  }

  delete(id: string): Promise<void> {
    return this.remove(id);
  }
}
