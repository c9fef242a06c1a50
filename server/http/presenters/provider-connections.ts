import type { ProviderConnection } from "../../db";
import type { StoredSettings } from "../../services/provider-connections/connection-secrets";
import { eventsWebhookState, type BasicCredentials } from "../../services/provider-connections/events-secrets";
import type { VerifyResult } from "../../providers/types";

import { iso } from "./format";

export interface ConnectionPresentation {
  /** Where the app is reached from outside: APP_URL, else the origin of the request (publicBaseUrl). */
  baseUrl: string;
  verification?: VerifyResult;
  /** Postmark's webhook credentials, only in the answer that generated them (create, rotation). */
  webhookCredentials?: BasicCredentials;
}

/** Credentials never appear: only the masked hint stored at write time. */
export function presentProviderConnection(row: ProviderConnection, { baseUrl, verification, webhookCredentials }: ConnectionPresentation) {
  const settings = row.settings as StoredSettings;
  return {
    id: row.id,
    provider: row.provider,
    display_name: row.displayName,
    priority: row.priority,
    weight: row.weight,
    enabled: row.enabled,
    credentials_hint: row.credentialsHint,
    region: settings.region ?? null,
    smtp_host: settings.smtp_host ?? null,
    smtp_port: settings.smtp_port ?? null,
    ...(row.provider === "smtp" ? presentSmtpSettings(settings) : {}),
    endpoint: settings.endpoint ?? null,
    verification: {
      status: verification?.status ?? row.verificationStatus,
      message: verification?.message ?? row.verificationMessage,
      verified_at: iso(row.verifiedAt),
    },
    health: {
      state: row.circuitState,
      consecutive_failures: row.consecutiveFailures,
      opened_at: iso(row.circuitOpenedAt),
      retry_at: iso(row.circuitRetryAt),
      last_failure_at: iso(row.lastFailureAt),
      last_failure_reason: row.lastFailureReason,
      last_success_at: iso(row.lastSuccessAt),
    },
    events_webhook: presentEventsWebhook(row, baseUrl, webhookCredentials),
    created_at: row.createdAt.toISOString(),
    updated_at: row.updatedAt.toISOString(),
  };
}

/** SMTP's transport options; null where the default applies (TLS 1.2 minimum, the provider timeout). */
function presentSmtpSettings(settings: StoredSettings) {
  return {
    secure: settings.secure ?? false,
    require_tls: settings.require_tls ?? false,
    tls_reject_unauthorized: settings.tls_reject_unauthorized ?? true,
    tls_servername: settings.tls_servername ?? null,
    tls_min_version: settings.tls_min_version ?? "TLSv1.2",
    connection_timeout_ms: settings.connection_timeout_ms ?? null,
    greeting_timeout_ms: settings.greeting_timeout_ms ?? null,
    socket_timeout_ms: settings.socket_timeout_ms ?? null,
  };
}

/**
 * The URL to paste into the provider, and whether it is set up. SMTP has no event webhook. Postmark's URL
 * carries our generated Basic credentials: the password in full only when just generated, else masked.
 */
function presentEventsWebhook(row: ProviderConnection, baseUrl: string, webhookCredentials: BasicCredentials | undefined) {
  if (row.provider === "smtp") return null;
  const state = eventsWebhookState(row);
  const base = new URL(baseUrl);
  const path = `${base.pathname.replace(/\/+$/, "")}/api/webhooks/${row.provider}/${row.id}`;
  const username = webhookCredentials?.username ?? state.basicUsername;
  const userinfo = username ? `${encodeURIComponent(username)}:${webhookCredentials ? encodeURIComponent(webhookCredentials.password) : "••••"}@` : "";
  return {
    url: `${base.protocol}//${userinfo}${base.host}${path}`,
    last_event_at: iso(row.lastEventAt),
    signing_key_set: state.signingKeySet,
    ...(row.provider === "aws_ses" ? { sns_topic_arn_set: state.snsTopicArnSet } : {}),
  };
}
