import { RelativeTime } from "../common/time";
import { Badge, type BadgeTone } from "../ui/badge";
import type { WebhookDelivery, WebhookEndpoint } from "./types";

/** Active, or disabled (by the user, or by CourierX with the reason: a 410, three days of failures). */
export function EndpointStatusBadge({ endpoint }: { endpoint: Pick<WebhookEndpoint, "active" | "disabled_reason"> }) {
  if (endpoint.active) return <Badge tone="green">Active</Badge>;
  return <Badge tone={endpoint.disabled_reason ? "red" : "gray"}>Disabled</Badge>;
}

const DELIVERY_TONES: Record<string, BadgeTone> = { pending: "amber", succeeded: "green", failed: "red" };

export function DeliveryStatusBadge({ status }: { status: WebhookDelivery["status"] }) {
  return <Badge tone={DELIVERY_TONES[status] ?? "gray"}>{status}</Badge>;
}

/** The endpoint's latest delivery outcome: whichever of its last success and last failure is newer. */
export function LastDelivery({ endpoint }: { endpoint: Pick<WebhookEndpoint, "last_success_at" | "last_failure_at"> }) {
  const { last_success_at: success, last_failure_at: failure } = endpoint;
  if (!success && !failure) return <span className="text-slate-400">None yet</span>;
  const failed = failure !== null && (success === null || failure > success);
  return (
    <span className="inline-flex items-center gap-1.5">
      <span aria-hidden className={failed ? "size-2 rounded-full bg-red-500" : "size-2 rounded-full bg-emerald-500"} />
      <span>{failed ? "Failed" : "Succeeded"}</span>
      <RelativeTime value={failed ? failure : success} />
    </span>
  );
}
