/** What server/http/presenters/emails.ts answers. */
import { z } from "zod";
import { EMAIL_STATUSES } from "../../services/emails/schemas";
import { id, nullableTimestamp, timestamp } from "./common";

export const emailFields = {
  id,
  from_email: z.email(),
  from_name: z.string().nullable(),
  to_email: z.email(),
  to_name: z.string().nullable(),
  reply_to: z.string().nullable(),
  subject: z.string(),
  status: z.enum(EMAIL_STATUSES),
  tags: z.array(z.string()),
  metadata: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])),
  test: z.boolean().meta({ description: "Sent with a test key: it went to the sandbox, never to a provider." }),
  provider: z.string().nullable().meta({ description: "The provider that accepted it." }),
  provider_message_id: z.string().nullable(),
  attempts: z.int().min(0),
  last_error: z.string().nullable(),
  next_attempt_at: nullableTimestamp.meta({ description: "While queued: when the next round of attempts starts, if one is scheduled." }),
  possible_duplicate: z.boolean().meta({ description: "An attempt was taken over after its worker stopped answering: the provider may have received it twice." }),
  scheduled_at: nullableTimestamp.meta({ description: "A scheduled email stays queued until then (null: sent as soon as it is accepted)." }),
  queued_at: nullableTimestamp,
  sent_at: nullableTimestamp,
  delivered_at: nullableTimestamp,
  bounced_at: nullableTimestamp,
  failed_at: nullableTimestamp,
  canceled_at: nullableTimestamp.meta({ description: "When POST /emails/{id}/cancel canceled it." }),
  unsubscribe_url: z.url().nullable().meta({ description: "The one-click unsubscribe link (RFC 8058) sent as List-Unsubscribe with List-Unsubscribe-Post, when the send asked for one or the account's default did; null: none." }),
  routing: z
    .object({ connections: z.array(id) })
    .nullable()
    .meta({ description: "The send's routing.connections, resolved to connection ids in order; null: the account's routing rules decided." }),
  created_at: nullableTimestamp,
  updated_at: nullableTimestamp,
};

export const emailResponse = z.object(emailFields).meta({ id: "Email" });

const SEED_EMAIL = {
  id: "550e8400-e29b-41d4-a716-446655440000",
  from_email: "hello@yourapp.com",
  from_name: "Your App",
  to_email: "user@example.com",
  to_name: "Alice",
  reply_to: null,
  subject: "Welcome to Your App",
  status: "queued",
  tags: ["welcome", "onboarding"],
  metadata: {},
  test: false,
  provider: null,
  provider_message_id: null,
  attempts: 0,
  last_error: null,
  next_attempt_at: null,
  possible_duplicate: false,
  scheduled_at: null,
  queued_at: "2026-03-22T10:30:00.000Z",
  sent_at: null,
  delivered_at: null,
  bounced_at: null,
  failed_at: null,
  canceled_at: null,
  unsubscribe_url: null,
  routing: null,
  created_at: "2026-03-22T10:30:00.000Z",
  updated_at: "2026-03-22T10:30:00.000Z",
};

export const acceptedEmailResponse = z
  .object({ ...emailFields, warnings: z.array(z.string()).meta({ description: "Things worth fixing that did not stop the send (e.g. an unverified sending domain)." }) })
  .meta({ id: "AcceptedEmail", example: { ...SEED_EMAIL, warnings: [] } });

const emailEvent = z
  .looseObject({
    event_type: z.string().meta({ description: "queued, attempt_failed, skipped, sent, delivered, deferred, bounced, failed, suppressed, opened, clicked, complained, unsubscribed, canceled, …" }),
    occurred_at: timestamp,
    provider: z.string().nullable(),
    sequence: z.int().optional().meta({ description: "The number outgoing webhooks carry for this event (event types they can subscribe to only)." }),
    connection_id: id.optional(),
  })
  .meta({ id: "EmailEvent", description: "One event of the timeline; event-specific details (error, bounce type, url, …) are further fields." });

export const emailDetailResponse = z
  .object({
    ...emailFields,
    html_body: z.string().nullable(),
    text_body: z.string().nullable(),
    headers: z.record(z.string(), z.string()),
    attachments: z.array(z.object({ filename: z.string(), content_type: z.string(), size: z.int().meta({ description: "Decoded bytes." }) })),
    provider_overrides: z
      .record(z.string(), z.unknown())
      .nullable()
      .meta({ description: "The send's provider_overrides as stored: an SMTP config override's auth is never shown (it is kept sealed until the email leaves queued, then erased); attachment contents appear as their size." }),
    events: z.array(emailEvent),
  })
  .meta({
    id: "EmailDetail",
    example: {
      ...SEED_EMAIL,
      status: "delivered",
      provider: "sendgrid",
      html_body: "<h1>Welcome, Alice!</h1><p>Thanks for signing up.</p>",
      text_body: "Welcome, Alice! Thanks for signing up.",
      headers: {},
      attachments: [],
      provider_overrides: null,
      events: [
        { event_type: "sent", occurred_at: "2026-03-22T10:30:01Z", provider: "sendgrid" },
        { event_type: "delivered", occurred_at: "2026-03-22T10:30:03Z", provider: "sendgrid" },
        { event_type: "opened", occurred_at: "2026-03-22T11:15:00Z", provider: null },
      ],
    },
  });

const batchItemResult = z
  .union([
    z.object({ index: z.int().min(0), status: z.literal(202), replayed: z.boolean().meta({ description: "The email first accepted under this item's idempotency key." }), email: acceptedEmailResponse }),
    z.object({ index: z.int().min(0), status: z.literal(422), errors: z.array(z.string()) }),
  ])
  .meta({ id: "BatchItemResult" });

export const batchResponse = z.object({ data: z.array(batchItemResult).meta({ description: "One result per item, in the request's order." }) }).meta({
  id: "BatchResult",
  example: {
    data: [
      { index: 0, status: 202, replayed: false, email: { ...SEED_EMAIL, warnings: [] } },
      { index: 1, status: 422, errors: ["from_email is not a valid email address"] },
    ],
  },
});
