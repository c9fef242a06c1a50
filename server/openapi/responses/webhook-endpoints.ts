/** What server/http/presenters/webhook-endpoints.ts answers, and the payload a receiver gets. */
import { z } from "zod";
import { OUTGOING_EVENT_TYPES } from "../../services/events/event-types";
import { id, nullableTimestamp, timestamp } from "./common";

const endpointFields = {
  id,
  url: z.string().meta({ description: "Credentials in the URL (`user:pass@`) are masked as `user:••••@` in every answer but the creation's." }),
  description: z.string().nullable(),
  events: z.array(z.enum(OUTGOING_EVENT_TYPES)).meta({ description: "Empty: every event type." }),
  active: z.boolean(),
  disabled_reason: z.string().nullable().meta({ description: "Why deliveries stopped (e.g. the endpoint kept failing); cleared when it is re-activated." }),
  created_at: timestamp,
  updated_at: timestamp,
  last_success_at: nullableTimestamp,
  last_failure_at: nullableTimestamp,
};

export const webhookEndpointResponse = z.object(endpointFields).meta({ id: "WebhookEndpoint" });

export const createdWebhookEndpointResponse = z
  .object({ ...endpointFields, secret: z.string().meta({ description: "The signing secret (`whsec_…`), in this answer only." }) })
  .meta({ id: "CreatedWebhookEndpoint" });

export const rotatedSecretResponse = z
  .object({
    secret: z.string().meta({ description: "The new signing secret (`whsec_…`), in this answer only." }),
    previous_secret_expires_at: timestamp.meta({ description: "Until then deliveries are signed with both secrets." }),
    older_secret_revoked: z.boolean().meta({ description: "A still-signing older secret stopped now (one previous secret at a time)." }),
  })
  .meta({ id: "RotatedSecret" });

export const webhookPayload = z
  .object({
    event: z.enum(OUTGOING_EVENT_TYPES),
    email_id: id,
    recipient: z.string().nullable(),
    provider: z.string().nullable(),
    timestamp,
    metadata: z.record(z.string(), z.unknown()).meta({ description: "The email's own metadata." }),
    sequence: z.int().meta({ description: "Per email, increasing in the order the events happened: order by it, not by arrival." }),
    test: z.boolean().meta({ description: "A test-mode email's event, or a test event sent from the endpoint's test operation." }),
  })
  .meta({
    id: "WebhookPayload",
    example: { event: "delivered", email_id: "550e8400-e29b-41d4-a716-446655440000", recipient: "user@example.com", provider: "sendgrid", timestamp: "2026-03-22T10:30:03Z", metadata: { user_id: "usr_123" }, sequence: 3, test: false },
  });

export const webhookDeliveryResponse = z
  .object({
    id,
    endpoint_id: id,
    event: z.string(),
    email_id: id.nullable(),
    message_id: z.string().meta({ description: "The `webhook-id` header: the same on every attempt and replay." }),
    replay_of_id: id.nullable(),
    status: z.enum(["pending", "succeeded", "failed"]),
    attempt_count: z.int(),
    response_code: z.int().nullable(),
    last_error: z.string().nullable(),
    next_attempt_at: nullableTimestamp,
    created_at: timestamp,
    completed_at: nullableTimestamp,
    payload: webhookPayload,
    attempts: z.array(z.object({ attempt: z.int(), status_code: z.int().nullable(), duration_ms: z.int(), error: z.string().nullable(), response_snippet: z.string().nullable(), at: timestamp })),
  })
  .meta({ id: "WebhookDelivery" });
