/**
 * What a receiver gets: exactly the seed's fields (event, email_id, recipient, provider, timestamp,
 * metadata: the email's own) plus `sequence` (per email, increasing in the order events happened) and
 * `test` (true for test-mode emails and test events).
 */
import type { Prisma } from "../../db";
import type { OutgoingEventType } from "../events/event-types";

export interface WebhookPayload {
  event: OutgoingEventType;
  email_id: string;
  recipient: string | null;
  provider: string | null;
  timestamp: string;
  metadata: Prisma.InputJsonObject;
  sequence: number;
  test: boolean;
}

const FIELD_ORDER: (keyof WebhookPayload)[] = ["event", "email_id", "recipient", "provider", "timestamp", "metadata", "sequence", "test"];

/**
 * The body as sent (and signed). The payload is stored as jsonb, which keeps no key order: the seed's
 * field order is restored here so every attempt and replay sends the same bytes.
 */
export function payloadBody(payload: unknown): string {
  const object = (payload ?? {}) as Record<string, unknown>;
  const ordered: Record<string, unknown> = {};
  for (const key of FIELD_ORDER) if (key in object) ordered[key] = object[key];
  for (const [key, value] of Object.entries(object)) if (!(key in ordered)) ordered[key] = value;
  return JSON.stringify(ordered);
}
