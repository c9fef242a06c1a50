"use client";
import { RelativeTime } from "../common/time";
import { Card, CardBody, CardHeader } from "../ui/card";
import { StatusBadge } from "./status-badge";
import { buildTimeline, formatDuration, type TimelineEntry } from "./timeline";
import type { EmailEventView, EmailTimelineView, WebhookDeliveryView } from "./types";

/** Every event of the email in order, each attempt with its connection, and the webhooks each event went out as. */
export function EmailTimeline({ events, extra }: { events: readonly EmailEventView[]; extra: EmailTimelineView }) {
  const { entries, otherDeliveries } = buildTimeline(events, extra);
  return (
    <Card>
      <CardHeader title="Timeline" description="Attempts, skipped connections, provider events and the webhooks they were sent to, oldest first." />
      <CardBody>
        <ol aria-label="Timeline" className="space-y-0">
          {entries.map((entry, i) => (
            <TimelineItem key={entry.key} entry={entry} last={i === entries.length - 1 && otherDeliveries.length === 0} />
          ))}
        </ol>
        {otherDeliveries.length > 0 && (
          <div className="mt-4">
            <h3 className="text-sm font-medium text-slate-900">Other webhook deliveries</h3>
            <DeliveryList deliveries={otherDeliveries} />
          </div>
        )}
      </CardBody>
    </Card>
  );
}

function TimelineItem({ entry, last }: { entry: TimelineEntry; last: boolean }) {
  return (
    <li className="relative flex gap-3 pb-5 last:pb-0" data-event={entry.type}>
      {!last && <span aria-hidden className="absolute top-6 bottom-0 left-[0.4375rem] w-px bg-slate-200" />}
      <span aria-hidden className="relative mt-1.5 size-3.5 shrink-0 rounded-full border-2 border-white bg-slate-300 ring-1 ring-slate-300" />
      <div className="min-w-0 flex-1">
        <div className="flex flex-wrap items-center gap-x-2 gap-y-1">
          <StatusBadge status={entry.type} />
          <h3 className="min-w-0 text-sm font-medium break-words text-slate-900">{entry.title}</h3>
          <span className="text-xs text-slate-500">
            <RelativeTime value={entry.at} />
            {entry.elapsed && <span className="tabular-nums"> · {entry.elapsed}</span>}
          </span>
        </div>
        {entry.details.length > 0 && (
          <dl className="mt-1.5 grid grid-cols-1 gap-x-3 gap-y-0.5 text-sm sm:grid-cols-[8rem_1fr]">
            {entry.details.map(([label, value]) => (
              <div key={label || String(value)} className="contents">
                {label ? <dt className="text-slate-500">{label}</dt> : <dt className="sr-only">Note</dt>}
                <dd className={label ? "min-w-0 break-words text-slate-700" : "min-w-0 break-words text-slate-600 sm:col-span-2"}>{typeof value === "string" ? value : <RelativeTime value={value.time} />}</dd>
              </div>
            ))}
          </dl>
        )}
        {entry.deliveries.length > 0 && <DeliveryList deliveries={entry.deliveries} />}
      </div>
    </li>
  );
}

function DeliveryList({ deliveries }: { deliveries: readonly WebhookDeliveryView[] }) {
  return (
    <ul aria-label="Webhook deliveries" className="mt-2 space-y-1.5">
      {deliveries.map((d) => (
        <li key={d.id} className="rounded-md border border-slate-200 bg-slate-50 px-3 py-2 text-sm">
          <div className="flex flex-wrap items-center gap-x-2 gap-y-1">
            <span className="text-xs font-medium tracking-wide text-slate-500 uppercase">Webhook</span>
            <StatusBadge status={d.status} />
            <span className="min-w-0 truncate font-mono text-xs text-slate-700" title={d.endpoint.url}>
              {d.endpoint.description ? `${d.endpoint.description} · ` : ""}
              {d.endpoint.url}
            </span>
          </div>
          <p className="mt-1 text-xs text-slate-600">
            {deliverySummary(d)}
            {d.status === "pending" && d.next_attempt_at && (
              <>
                {" · next attempt "}
                <RelativeTime value={d.next_attempt_at} />
              </>
            )}
            {d.completed_at && (
              <>
                {" · finished "}
                <RelativeTime value={d.completed_at} />
              </>
            )}
          </p>
          {d.last_error && d.status !== "succeeded" && <p className="mt-0.5 text-xs break-words text-red-700">{d.last_error}</p>}
        </li>
      ))}
    </ul>
  );
}

function deliverySummary(d: WebhookDeliveryView): string {
  const parts = [`${d.event} event`, `${d.attempt_count} ${d.attempt_count === 1 ? "attempt" : "attempts"}`];
  if (d.response_code !== null) parts.push(`HTTP ${d.response_code}`);
  const lastAttempt = d.attempts.at(-1);
  if (lastAttempt) parts.push(formatDuration(lastAttempt.duration_ms));
  if (d.replay_of_id) parts.push("replay");
  return parts.join(" · ");
}
