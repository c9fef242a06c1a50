/**
 * The email's whole story as a list of entries, oldest first: its events (emails.get) in the order the
 * server recorded them, each attempt and skip named by its connection, and under each event the outgoing
 * webhook deliveries that carried it (matched by the event's sequence number, emails.timeline).
 */
import { providerLabel } from "../providers/provider-catalog";
import type { ConnectionRef, EmailEventView, EmailTimelineView, WebhookDeliveryView } from "./types";

export type DetailValue = string | { time: string };

export interface TimelineEntry {
  key: string;
  type: string;
  at: string;
  title: string;
  /** Time since the first event ("+1.25 s"), null for the first. */
  elapsed: string | null;
  /** Label → value lines under the title (empty values left out); a time is rendered where it is read. */
  details: [string, DetailValue][];
  deliveries: WebhookDeliveryView[];
}

export interface Timeline {
  entries: TimelineEntry[];
  /** Deliveries that carry no event of this timeline (none in practice; kept so nothing is hidden). */
  otherDeliveries: WebhookDeliveryView[];
}

const text = (value: unknown): string | null => (typeof value === "string" && value.trim() ? value : typeof value === "number" ? String(value) : null);
const num = (value: unknown): number | null => (typeof value === "number" && Number.isFinite(value) ? value : null);

export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
  if (ms < 3_600_000) return `${Math.floor(ms / 60_000)} min ${Math.floor((ms % 60_000) / 1000)} s`;
  return `${Math.floor(ms / 3_600_000)} h ${Math.floor((ms % 3_600_000) / 60_000)} min`;
}

function time(value: unknown): DetailValue | null {
  const s = text(value);
  return s && !Number.isNaN(new Date(s).getTime()) ? { time: s } : s;
}

/** "SendGrid Primary (SendGrid)", or the provider when the connection was deleted, or the sandbox. */
export function connectionName(event: Pick<EmailEventView, "provider" | "connection_id">, connections: Map<string, ConnectionRef>): string {
  const id = typeof event.connection_id === "string" ? event.connection_id : null;
  const connection = id ? connections.get(id) : undefined;
  const provider = event.provider ? providerLabel(event.provider) : null;
  if (connection) return connection.display_name === provider ? connection.display_name : `${connection.display_name} (${providerLabel(connection.provider)})`;
  if (provider) return id ? `${provider} (deleted connection)` : provider;
  return "the test-mode sandbox";
}

function describe(event: EmailEventView, via: string): { title: string; details: [string, DetailValue | null][] } {
  const reason = text(event.reason);
  const duration = num(event.duration_ms);
  const round = num(event.round);
  const laterRound: [string, DetailValue | null] = ["Round", round !== null && round > 1 ? `${round} (the whole plan retried)` : null];
  switch (event.event_type) {
    case "queued":
      return {
        title: "Queued",
        details: [["", event.scheduled_at ? "Accepted by the API and held until its scheduled time" : "Accepted by the API and waiting for a provider"], ["Scheduled for", time(event.scheduled_at)]],
      };
    case "canceled":
      return { title: "Canceled: not sent", details: [["", "Canceled through the API before any attempt"]] };
    case "skipped":
      return { title: `Skipped ${via}`, details: [["Why", reason], ["Retry after", time(event.retry_at)]] };
    case "attempt_failed":
      return {
        title: `Attempt failed on ${via}`,
        details: [
          ["Reason", reason],
          ["Outcome", event.kind === "permanent" ? "Permanent: no other provider is tried" : event.kind === "transient" ? "Transient: moved on to the next provider" : text(event.kind)],
          ["Accepted?", event.accepted === "unknown" ? "Unknown: the provider may have accepted it" : null],
          ["Status", text(event.status)],
          ["Code", text(event.code)],
          ["Duration", duration !== null ? formatDuration(duration) : null],
          laterRound,
        ],
      };
    case "sent":
      return {
        title: event.provider ? `Sent through ${via}` : `Accepted by ${via}`,
        details: [
          ["Message id", text(event.message_id)],
          ["Duration", duration !== null ? formatDuration(duration) : null],
          ["Test mode", event.test === true ? "Ended at the sandbox: no provider was contacted" : null],
          ["Warning", event.possible_duplicate === true ? "An earlier attempt may also have been accepted: the recipient may get it twice" : null],
          laterRound,
        ],
      };
    case "deferred":
      return { title: "Every provider failed: retry scheduled", details: [["Why", reason], ["Next round", time(event.retry_at)], ["Round", text(event.round)]] };
    case "failed":
      return { title: "Failed", details: [["Reason", reason]] };
    case "suppressed":
      return { title: "Suppressed: not sent", details: [["Why", reason ? `The recipient is on the suppression list (${reason})` : "The recipient is on the suppression list"]] };
    case "delivered":
      return { title: `Delivered${event.provider ? `, reported by ${via}` : ""}`, details: [["Recipient", text(event.recipient)]] };
    case "bounced":
      return {
        title: event.bounce_type === "soft" ? "Soft bounce" : event.bounce_type === "hard" ? "Hard bounce" : "Bounced",
        details: [
          ["Diagnostic", text(event.diagnostic)],
          ["Note", event.bounce_type === "soft" ? "Temporary: the status does not change and the address is not suppressed" : null],
        ],
      };
    case "complained":
      return { title: "Marked as spam", details: [["Feedback", text(event.diagnostic)]] };
    case "opened":
      return { title: "Opened", details: [["User agent", text(event.user_agent)], ["IP", text(event.ip)]] };
    case "clicked":
      return { title: "Link clicked", details: [["URL", text(event.url)], ["User agent", text(event.user_agent)], ["IP", text(event.ip)]] };
    case "unsubscribed":
      return { title: "Unsubscribed", details: [] };
    default:
      return { title: String(event.event_type), details: [["Reason", reason]] };
  }
}

function deliverySequence(delivery: WebhookDeliveryView): number | null {
  const payload = delivery.payload as { sequence?: unknown } | null;
  return num(payload?.sequence);
}

export function buildTimeline(events: readonly EmailEventView[], extra: EmailTimelineView): Timeline {
  const connections = new Map(extra.connections.map((c) => [c.id, c]));
  const bySequence = new Map<string, WebhookDeliveryView[]>();
  const otherDeliveries: WebhookDeliveryView[] = [];
  const eventKeys = new Set(events.map((e) => (typeof e.sequence === "number" ? `${e.event_type}:${e.sequence}` : null)));
  for (const delivery of extra.webhook_deliveries) {
    const key = `${delivery.event}:${deliverySequence(delivery)}`;
    if (!eventKeys.has(key)) otherDeliveries.push(delivery);
    else bySequence.set(key, [...(bySequence.get(key) ?? []), delivery]);
  }
  const start = events[0] ? new Date(events[0].occurred_at).getTime() : 0;
  const entries = events.map((event, index): TimelineEntry => {
    const { title, details } = describe(event, connectionName(event, connections));
    const key = typeof event.sequence === "number" ? `${event.event_type}:${event.sequence}` : null;
    return {
      key: `${index}:${event.event_type}:${event.occurred_at}`,
      type: event.event_type,
      at: event.occurred_at,
      title,
      elapsed: index === 0 ? null : `+${formatDuration(Math.max(0, new Date(event.occurred_at).getTime() - start))}`,
      details: details.filter((d): d is [string, DetailValue] => d[1] !== null && d[1] !== ""),
      deliveries: key ? (bySequence.get(key) ?? []) : [],
    };
  });
  return { entries, otherDeliveries };
}
