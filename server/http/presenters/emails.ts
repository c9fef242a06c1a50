import type { Email, EmailEvent } from "../../db";
import type { StoredAttachment } from "../../services/emails/schemas";
import { iso } from "./format";

type EmailSummary = Omit<Email, "htmlBody" | "textBody" | "attachments" | "attemptToken" | "attemptLeaseUntil" | "providerOverrides" | "providerOverrideAuth"> &
  Partial<Pick<Email, "htmlBody" | "textBody" | "attachments">>;

/** The seed's email shape (id, from_email, to_email, subject, status, tags, queued_at, created_at) and more. */
export function presentEmail(email: EmailSummary) {
  return {
    id: email.id,
    from_email: email.fromEmail,
    from_name: email.fromName,
    to_email: email.toEmail,
    to_name: email.toName,
    reply_to: email.replyTo,
    subject: email.subject,
    status: email.status,
    tags: email.tags,
    metadata: email.metadata,
    test: email.test,
    provider: email.provider,
    provider_message_id: email.providerMessageId,
    attempts: email.attempts,
    last_error: email.lastError,
    // While queued: when the next round of attempts starts, if one is scheduled (null while one is under way).
    next_attempt_at: iso(email.nextAttemptAt),
    possible_duplicate: email.possibleDuplicate,
    // A scheduled email stays queued until then (null: sent as soon as it is accepted).
    scheduled_at: iso(email.scheduledAt),
    queued_at: iso(email.queuedAt),
    sent_at: iso(email.sentAt),
    delivered_at: iso(email.deliveredAt),
    bounced_at: iso(email.bouncedAt),
    failed_at: iso(email.failedAt),
    canceled_at: iso(email.canceledAt),
    // The one-click unsubscribe link sent as List-Unsubscribe (null: none).
    unsubscribe_url: email.unsubscribeUrl,
    // The send's routing.connections as connection ids, in order (null: the account's routing rules decided).
    routing: email.routingConnectionIds.length > 0 ? { connections: email.routingConnectionIds } : null,
    created_at: iso(email.createdAt),
    updated_at: iso(email.updatedAt),
  };
}

export function presentEmailDetail(email: Email & { events: EmailEvent[] }) {
  return {
    ...presentEmail(email),
    html_body: email.htmlBody,
    text_body: email.textBody,
    headers: email.headers,
    attachments: (email.attachments as unknown as StoredAttachment[]).map((a) => ({
      filename: a.filename,
      content_type: a.content_type,
      size: base64Size(a.content),
    })),
    provider_overrides: presentProviderOverrides(email.providerOverrides),
    events: email.events.map(presentEmailEvent),
  };
}

/**
 * The send's provider_overrides as stored: an SMTP config override's auth is never in them (it is sealed
 * apart, and erased once the email leaves queued), and attachment contents are shown by size, as the
 * email's own attachments are.
 */
function presentProviderOverrides(stored: Email["providerOverrides"]): Record<string, unknown> | null {
  if (!stored || typeof stored !== "object" || Array.isArray(stored)) return null;
  const overrides = stored as Record<string, { body?: Record<string, unknown> } | undefined>;
  const attachments = overrides.smtp?.body?.attachments;
  if (!Array.isArray(attachments)) return overrides;
  const shown = (attachments as { content?: string }[]).map(({ content, ...rest }) => ({ ...rest, size: base64Size(content ?? "") }));
  return { ...overrides, smtp: { ...overrides.smtp, body: { ...overrides.smtp!.body, attachments: shown } } };
}

function base64Size(content: string): number {
  return Math.floor((content.length * 3) / 4) - (content.endsWith("==") ? 2 : content.endsWith("=") ? 1 : 0);
}

export function presentEmailEvent(event: EmailEvent) {
  const data = (event.data ?? {}) as Record<string, unknown>;
  return {
    event_type: event.type,
    occurred_at: event.occurredAt.toISOString(),
    provider: event.provider,
    // The number outgoing webhooks carry for this event (only on the event types they can subscribe to).
    ...(event.sequence !== null ? { sequence: event.sequence } : {}),
    ...(event.connectionId ? { connection_id: event.connectionId } : {}),
    ...data,
  };
}
