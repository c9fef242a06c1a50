import { formatDateTime } from "../common/time";
import type { WebhookDelivery } from "./types";

/** Each attempt of a delivery: when, the answer's status and time, the error, the first part of the body. */
export function DeliveryAttempts({ delivery }: { delivery: WebhookDelivery }) {
  if (delivery.attempts.length === 0) return <p className="text-sm text-slate-500">No attempt has been made yet.</p>;
  return (
    <ol className="space-y-3">
      {delivery.attempts.map((a) => (
        <li key={a.attempt} className="rounded-md border border-slate-200 bg-white">
          <div className="flex flex-wrap items-center gap-x-4 gap-y-1 border-b border-slate-100 px-3 py-2 text-sm">
            <span className="font-medium text-slate-900">Attempt {a.attempt}</span>
            <span className={a.status_code !== null && a.status_code < 300 ? "text-emerald-700" : "text-red-700"}>{a.status_code !== null ? `HTTP ${a.status_code}` : "No answer"}</span>
            {a.duration_ms !== null && <span className="text-slate-600">{a.duration_ms} ms</span>}
            <time dateTime={a.at} className="text-slate-500">
              {formatDateTime(a.at)}
            </time>
          </div>
          <div className="space-y-2 px-3 py-2">
            {a.error && <p className="text-sm text-red-700">{a.error}</p>}
            {a.response_snippet ? (
              <pre aria-label={`Response to attempt ${a.attempt}`} className="max-h-48 overflow-auto rounded bg-slate-50 p-2 font-mono text-xs whitespace-pre-wrap break-all text-slate-700">
                {a.response_snippet}
              </pre>
            ) : (
              !a.error && <p className="text-xs text-slate-500">Empty response body.</p>
            )}
          </div>
        </li>
      ))}
    </ol>
  );
}
