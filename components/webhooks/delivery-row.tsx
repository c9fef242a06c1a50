"use client";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { toast } from "sonner";
import { useTRPC } from "@/trpc/client";
import { formatDateTime, RelativeTime } from "../common/time";
import { Badge } from "../ui/badge";
import { Button } from "../ui/button";
import { Dialog } from "../ui/dialog";
import { TD, TR } from "../ui/table";
import { DeliveryAttempts } from "./delivery-attempts";
import { DeliveryStatusBadge } from "./status-badges";
import type { WebhookDelivery } from "./types";

export const DELIVERY_COLUMNS = ["Event", "Email", "Status", "Attempts", "Last response", "Time", "Actions"] as const;

function payloadField(payload: unknown, key: string): unknown {
  return payload && typeof payload === "object" ? (payload as Record<string, unknown>)[key] : undefined;
}

/** One delivery: its summary row, and (in a dialog) every attempt with the answer's snippet, and the payload. */
export function DeliveryRow({ delivery, canManage, endpointActive }: { delivery: WebhookDelivery; canManage: boolean; endpointActive: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(false);
  const replay = useMutation(
    trpc.webhookEndpoints.replay.mutationOptions({
      onSuccess: async () => {
        await queryClient.invalidateQueries({ queryKey: trpc.webhookEndpoints.deliveries.queryKey({ id: delivery.endpoint_id }) });
        toast.success(`Replay of the ${delivery.event} event queued (same webhook-id)`);
      },
    }),
  );
  const recipient = payloadField(delivery.payload, "recipient");
  const isTest = payloadField(delivery.payload, "test") === true;
  const last = delivery.attempts.at(-1);
  return (
    <TR>
      <TD>
        <span className="inline-flex items-center gap-1.5">
          <span className="font-mono text-sm text-slate-900">{delivery.event}</span>
          {isTest && <Badge tone="purple">test</Badge>}
          {delivery.replay_of_id && <Badge tone="blue">replay</Badge>}
        </span>
      </TD>
      <TD className="max-w-48">
        {typeof recipient === "string" && (
          <span className="block truncate" title={recipient}>
            {recipient}
          </span>
        )}
        {delivery.email_id && (
          <Link href={`/emails/${delivery.email_id}`} className="font-mono text-xs text-indigo-700 hover:underline">
            {delivery.email_id.slice(0, 8)}…
          </Link>
        )}
      </TD>
      <TD>
        <DeliveryStatusBadge status={delivery.status} />
      </TD>
      <TD className="tabular-nums">{delivery.attempt_count}</TD>
      <TD className="max-w-48">
        {last ? (
          <span className="block">
            <span className={last.status_code !== null && last.status_code < 300 ? "text-emerald-700" : "text-red-700"}>{last.status_code ?? "—"}</span>
            {last.duration_ms !== null && <span className="text-slate-500"> · {last.duration_ms} ms</span>}
            {delivery.last_error && <span className="block truncate text-xs text-red-700" title={delivery.last_error}>{delivery.last_error}</span>}
          </span>
        ) : (
          <span className="text-slate-400">Not attempted yet</span>
        )}
      </TD>
      <TD>
        <RelativeTime value={delivery.created_at} />
      </TD>
      <TD>
        <div className="flex gap-2">
          <Button size="sm" variant="ghost" aria-haspopup="dialog" aria-label={`Details of the ${delivery.event} delivery`} onClick={() => setOpen(true)}>
            Details
          </Button>
          {canManage && (
            <Button size="sm" variant="secondary" disabled={!endpointActive} pending={replay.isPending} aria-label={`Replay the ${delivery.event} delivery`} onClick={() => replay.mutate({ id: delivery.endpoint_id, deliveryId: delivery.id })}>
              Replay
            </Button>
          )}
        </div>
        <Dialog open={open} onClose={() => setOpen(false)} title={`Delivery of the ${delivery.event} event`} description={`Created ${formatDateTime(delivery.created_at)} · ${delivery.status}`} className="max-w-2xl">
          <div className="space-y-5">
            <section aria-label="Attempts">
              <h3 className="mb-2 text-xs font-medium tracking-wide text-slate-500 uppercase">Attempts</h3>
              <DeliveryAttempts delivery={delivery} />
              {delivery.next_attempt_at && delivery.status === "pending" && (
                <p className="mt-2 text-xs text-slate-500">
                  Next attempt <RelativeTime value={delivery.next_attempt_at} />
                </p>
              )}
            </section>
            <section aria-label="Payload">
              <h3 className="mb-2 text-xs font-medium tracking-wide text-slate-500 uppercase">Payload</h3>
              <pre className="max-h-72 overflow-auto rounded-md border border-slate-200 bg-slate-50 p-3 font-mono text-xs text-slate-700">{JSON.stringify(delivery.payload, null, 2)}</pre>
            </section>
          </div>
        </Dialog>
      </TD>
    </TR>
  );
}
