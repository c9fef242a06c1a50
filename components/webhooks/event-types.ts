import { OUTGOING_EVENT_TYPES, type OutgoingEventType } from "@/server/services/events/event-types";

export { OUTGOING_EVENT_TYPES };

/** What each event an endpoint can subscribe to means (the seed's wording, plus sent and suppressed). */
export const EVENT_DESCRIPTIONS: Record<OutgoingEventType, string> = {
  sent: "A provider accepted the email",
  delivered: "Email was accepted by the recipient's mail server",
  bounced: "Email bounced (hard or soft)",
  complained: "Recipient marked the email as spam",
  opened: "Recipient opened the email",
  clicked: "Recipient clicked a link in the email",
  unsubscribed: "Recipient unsubscribed",
  failed: "Email failed to send after all provider attempts",
  suppressed: "The send was blocked: the recipient is on the suppression list",
};

/** "All events", or the subscribed types (the first few, then "+N"). */
export function eventSummary(events: readonly string[], max = 3): string {
  if (events.length === 0) return "All events";
  if (events.length <= max) return events.join(", ");
  return `${events.slice(0, max).join(", ")} +${events.length - max}`;
}
