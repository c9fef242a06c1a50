/**
 * The event vocabulary shared by the inbound provider webhooks, the timeline, the rollup and the outgoing
 * webhooks. Provider payloads are normalized to `ProviderEvent` by services/provider-events/<provider>.ts
 * and recorded by record-provider-event.ts; outgoing webhook endpoints subscribe to `OutgoingEventType`s.
 */
import type { ProviderName } from "../../db";

/** What a provider can tell us about an email after it accepted it. */
export const PROVIDER_EVENT_TYPES = ["delivered", "bounced", "complained", "opened", "clicked", "unsubscribed"] as const;
export type ProviderEventType = (typeof PROVIDER_EVENT_TYPES)[number];

/** Event types a webhook endpoint can subscribe to: the seed's seven plus `sent` and `suppressed`. */
export const OUTGOING_EVENT_TYPES = ["sent", "delivered", "bounced", "complained", "opened", "clicked", "unsubscribed", "failed", "suppressed"] as const;
export type OutgoingEventType = (typeof OUTGOING_EVENT_TYPES)[number];

/** The counts the analytics rollup keeps per day (EmailDailyStat columns), each at most once per email. */
export const ROLLUP_EVENT_TYPES = OUTGOING_EVENT_TYPES;

/** Bit of an event type in Email.rollupMask. */
export function rollupBit(type: OutgoingEventType): number {
  return 1 << OUTGOING_EVENT_TYPES.indexOf(type);
}

export function isOutgoingEventType(type: string): type is OutgoingEventType {
  return (OUTGOING_EVENT_TYPES as readonly string[]).includes(type);
}

/** One provider event, normalized. Produced by a provider's parser after its signature was verified. */
export interface ProviderEvent {
  type: ProviderEventType;
  /**
   * The provider's own id of this event, unique per provider (SendGrid sg_event_id, SNS MessageId, Mailgun
   * signature token, Postmark a stable hash of the record, Resend svix-id): a re-delivery carries the same
   * one and is ignored.
   */
  externalId: string;
  /** When the provider says it happened (falls back to the receipt time). */
  occurredAt: Date;
  /** Our email id, when the provider echoed the courierx_email_id we sent (custom args, metadata, tags). */
  emailId?: string;
  /** The provider's message id as the send returned it (normalized: no <>, SendGrid's part before the first "."). */
  providerMessageId?: string;
  /** The address the event is about (lower-cased by the recorder). */
  recipient?: string;
  /** Bounces: hard (permanent: the address is suppressed) or soft (transient: not suppressed). */
  bounceType?: "hard" | "soft";
  /** The provider's diagnostic: SMTP status and text, complaint feedback type, … */
  diagnostic?: string;
  /** Clicks: the link. */
  url?: string;
  userAgent?: string;
  ip?: string;
}

/** Where a provider event came from: the connection whose webhook URL it reached (and so the tenant). */
export interface ProviderEventSource {
  tenantId: string;
  connectionId: string;
  provider: ProviderName;
}

export type RecordOutcome =
  | { outcome: "recorded"; emailId: string; eventId: string; deliveryIds: string[] }
  | { outcome: "duplicate"; emailId: string }
  | { outcome: "unknown_email" };
