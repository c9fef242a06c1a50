/**
 * The API's objects exactly as it returns them (snake_case fields, ISO 8601 timestamps in UTC). Inputs
 * are camelCase and are mapped to the API's names by the resources.
 */

/** The seed's six, and `canceled` (only through `emails.cancel`). */
export type EmailStatus = "queued" | "sent" | "delivered" | "bounced" | "failed" | "suppressed" | "canceled";
export type ProviderName = "sendgrid" | "aws_ses" | "mailgun" | "postmark" | "resend" | "smtp";
export type OutgoingEventType = "delivered" | "bounced" | "complained" | "opened" | "clicked" | "unsubscribed" | "failed";
export type Metadata = Record<string, string | number | boolean>;

export interface Email {
  id: string;
  from_email: string;
  from_name: string | null;
  to_email: string;
  to_name: string | null;
  reply_to: string | null;
  subject: string;
  status: EmailStatus;
  tags: string[];
  metadata: Metadata;
  test: boolean;
  provider: string | null;
  provider_message_id: string | null;
  attempts: number;
  last_error: string | null;
  next_attempt_at: string | null;
  possible_duplicate: boolean;
  /** When a scheduled email goes (null: as soon as it was accepted). */
  scheduled_at: string | null;
  queued_at: string | null;
  sent_at: string | null;
  delivered_at: string | null;
  bounced_at: string | null;
  failed_at: string | null;
  canceled_at: string | null;
  created_at: string;
  updated_at: string;
}

export interface EmailEvent {
  event_type: string;
  occurred_at: string;
  provider: string | null;
  sequence?: number;
  connection_id?: string;
  /** Event details (bounce type, diagnostic, url, …) vary by event. */
  [detail: string]: unknown;
}

export interface EmailDetail extends Email {
  html_body: string | null;
  text_body: string | null;
  headers: Record<string, string>;
  attachments: { filename: string; content_type: string; size: number }[];
  events: EmailEvent[];
}

export interface SentEmail {
  email: Email;
  /** Sending-domain advice (e.g. an unverified domain); the email is queued regardless. */
  warnings: string[];
  /** True when the idempotency key matched an earlier send and that email was returned instead. */
  replayed: boolean;
}

export interface ApiKey {
  id: string;
  name: string;
  mode: "live" | "test";
  prefix: string;
  status: "active" | "revoked";
  last_used_at: string | null;
  revoked_at: string | null;
  created_at: string;
}

export interface CreatedApiKey extends ApiKey {
  /** The raw key, shown once: store it now (only its SHA-256 is kept). */
  key: string;
  /** The same raw key under the API's own name. */
  raw_key: string;
}

export interface Domain {
  id: string;
  domain: string;
  status: "pending" | "verified" | "failed";
  verification_token: string;
  dns_record: { type: "TXT"; host: string; value: string };
  verified_at: string | null;
  last_checked_at: string | null;
  created_at: string | null;
  verification_result: "found" | "missing" | "mismatch" | "dns_error" | null;
  txt_records: string[];
  message: string | null;
  spf: unknown;
  dmarc: unknown;
  dkim: unknown;
}

export interface Verification {
  status: string;
  message: string | null;
}

export interface ProviderConnection {
  id: string;
  provider: ProviderName;
  display_name: string;
  priority: number;
  weight: number;
  enabled: boolean;
  credentials_hint: string | null;
  region: string | null;
  smtp_host: string | null;
  smtp_port: number | null;
  secure?: boolean;
  require_tls?: boolean;
  tls_reject_unauthorized?: boolean;
  endpoint: string | null;
  verification: Verification & { verified_at: string | null };
  health: {
    state: string;
    consecutive_failures: number;
    opened_at: string | null;
    retry_at: string | null;
    last_failure_at: string | null;
    last_failure_reason: string | null;
    last_success_at: string | null;
  };
  events_webhook: { url: string; last_event_at: string | null; signing_key_set: boolean; sns_topic_arn_set?: boolean } | null;
  created_at: string;
  updated_at: string;
}

export type RoutingStrategy = "priority" | "weighted" | "round_robin" | "failover_only";

export interface RoutingRule {
  id: string;
  name: string;
  conditions: { from_domains: string[]; tags: string[] };
  strategy: RoutingStrategy;
  providers: { connection_id: string; provider: ProviderName; display_name: string; enabled: boolean; weight: number }[];
  enabled: boolean;
  position: number;
  created_at: string;
  updated_at: string;
}

export type SuppressionReason = "bounce" | "complaint" | "unsubscribe" | "manual";

export interface Suppression {
  id: string;
  email: string;
  reason: SuppressionReason;
  note: string | null;
  email_id: string | null;
  provider: string | null;
  created_at: string;
}

export interface WebhookEndpoint {
  id: string;
  url: string;
  description: string | null;
  events: OutgoingEventType[];
  active: boolean;
  disabled_reason: string | null;
  created_at: string;
  updated_at: string;
  last_success_at: string | null;
  last_failure_at: string | null;
}

export interface CreatedWebhookEndpoint extends WebhookEndpoint {
  /** The signing secret (`whsec_…`), shown once: keep it for `webhooks.verify`. */
  secret: string;
}

export interface RotatedWebhookSecret {
  secret: string;
  /** Until then deliveries are signed with the new secret and the previous one. */
  previous_secret_expires_at: string;
  older_secret_revoked: boolean;
}

export interface WebhookDelivery {
  id: string;
  endpoint_id: string;
  event: string;
  email_id: string | null;
  message_id: string;
  replay_of_id: string | null;
  status: "pending" | "succeeded" | "failed";
  attempt_count: number;
  response_code: number | null;
  last_error: string | null;
  next_attempt_at: string | null;
  created_at: string;
  completed_at: string | null;
  payload: WebhookEvent;
  attempts: { attempt: number; status_code: number | null; duration_ms: number | null; error: string | null; response_snippet: string | null; at: string }[];
}

/** What a webhook request carries (and `webhooks.verify` returns). */
export interface WebhookEvent {
  event: OutgoingEventType;
  email_id: string;
  recipient: string | null;
  provider: string | null;
  timestamp: string;
  metadata: Metadata;
  sequence: number;
  test: boolean;
  [field: string]: unknown;
}

export interface Metrics {
  period: "7d" | "30d" | "90d";
  test: boolean;
  from: string;
  to: string;
  /** Emails that had each event (first time) in the period. */
  totals: Record<string, number>;
  rates: { delivery_rate: number; bounce_rate: number; complaint_rate: number; open_rate: number; click_rate: number };
  daily: ({ date: string } & Record<string, number | string>)[];
}

export interface Usage {
  from: string;
  to: string;
  test: boolean;
  days: { date: string; provider: string; sent: number; failed: number; delivered: number; bounced: number }[];
}

export interface User {
  id: string;
  name: string;
  email: string;
  role: string;
}

export interface Account {
  id: string;
  name: string;
  created_at: string;
}

export interface Session {
  token: string;
  token_type: "Bearer";
  expires_at: string;
  user: User;
  account: Account;
}

export interface Me {
  account: Account;
  user: User | null;
  authenticated_with: { type: "api_key"; api_key_id: string; mode: "live" | "test" } | { type: "session" };
}
