import type { WebhookDelivery, WebhookDeliveryAttempt, WebhookEndpoint } from "../../db";
import { maskUrlUserinfo } from "../../services/webhooks/webhook-url";
import { iso } from "./format";

/**
 * The signing secret never appears here: only the create and rotate answers carry it, beside this. The
 * URL's credentials (`user:pass@`) are masked (`user:••••@`) in every answer but the create answer
 * (`revealUrl`), for every principal.
 */
export function presentWebhookEndpoint(row: WebhookEndpoint, { revealUrl = false }: { revealUrl?: boolean } = {}) {
  return {
    id: row.id,
    url: revealUrl ? row.url : maskUrlUserinfo(row.url),
    description: row.description,
    events: row.events,
    active: row.active,
    disabled_reason: row.disabledReason,
    created_at: row.createdAt.toISOString(),
    updated_at: row.updatedAt.toISOString(),
    last_success_at: iso(row.lastSuccessAt),
    last_failure_at: iso(row.lastFailureAt),
  };
}

export function presentWebhookDelivery(row: WebhookDelivery & { attemptLog: WebhookDeliveryAttempt[] }) {
  return {
    id: row.id,
    endpoint_id: row.endpointId,
    event: row.eventType,
    email_id: row.emailId,
    message_id: row.messageId,
    replay_of_id: row.replayOfId,
    status: row.status,
    attempt_count: row.attempts,
    response_code: row.responseCode,
    last_error: row.lastError,
    next_attempt_at: iso(row.nextAttemptAt),
    created_at: row.createdAt.toISOString(),
    completed_at: iso(row.completedAt),
    payload: row.payload,
    attempts: row.attemptLog.map((a) => ({
      attempt: a.attempt,
      status_code: a.statusCode,
      duration_ms: a.durationMs,
      error: a.error,
      response_snippet: a.responseSnippet,
      at: a.createdAt.toISOString(),
    })),
  };
}
