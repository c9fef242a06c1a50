"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useTRPC } from "@/trpc/client";
import { RelativeTime } from "../common/time";
import { Button } from "../ui/button";
import { Dialog } from "../ui/dialog";
import { DeliveryAttempts } from "./delivery-attempts";
import { DeliveryStatusBadge } from "./status-badges";
import type { WebhookEndpoint } from "./types";

/** Watches one delivery on the log's first page: its attempts as they are made, until it is no longer pending. */
function TestDeliveryResult({ endpointId, deliveryId }: { endpointId: string; deliveryId: string }) {
  const trpc = useTRPC();
  const { data } = useQuery({
    ...trpc.webhookEndpoints.deliveries.queryOptions({ id: endpointId, page: 1, per_page: 25 }),
    refetchInterval: (query) => (query.state.data?.items.find((d) => d.id === deliveryId)?.status === "pending" ? 2000 : false),
    staleTime: 0,
  });
  const delivery = data?.items.find((d) => d.id === deliveryId);
  if (!delivery || delivery.attempts.length === 0) {
    return (
      <p role="status" className="flex items-center gap-2 text-sm text-slate-600">
        <span aria-hidden className="size-3.5 animate-spin rounded-full border-2 border-indigo-500 border-r-transparent" />
        Delivering…
      </p>
    );
  }
  return (
    <div className="space-y-3">
      <p role="status" className="flex flex-wrap items-center gap-2 text-sm text-slate-700">
        Delivery <DeliveryStatusBadge status={delivery.status} />
        {delivery.response_code !== null && <span>with HTTP {delivery.response_code}</span>}
        {delivery.status === "pending" && delivery.next_attempt_at && (
          <span className="text-slate-500">
            · retried <RelativeTime value={delivery.next_attempt_at} />
          </span>
        )}
      </p>
      <DeliveryAttempts delivery={delivery} />
    </div>
  );
}

/** Sends a sample `delivered` event (test: true) and shows what the endpoint answered. */
export function SendTestEvent({ endpoint }: { endpoint: WebhookEndpoint }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [deliveryId, setDeliveryId] = useState<string | null>(null);
  const send = useMutation(
    trpc.webhookEndpoints.sendTest.mutationOptions({
      onSuccess: async (delivery) => {
        setDeliveryId(delivery.id);
        await queryClient.invalidateQueries({ queryKey: trpc.webhookEndpoints.deliveries.queryKey({ id: endpoint.id }) });
      },
    }),
  );
  return (
    <>
      <Button
        variant="secondary"
        disabled={!endpoint.active}
        title={endpoint.active ? undefined : "Enable the endpoint to send a test event"}
        pending={send.isPending}
        onClick={() => send.mutate({ id: endpoint.id })}
      >
        Send test event
      </Button>
      <Dialog
        open={deliveryId !== null}
        onClose={() => setDeliveryId(null)}
        title="Test event sent"
        description="A sample delivered event with “test”: true, signed and retried like any other."
        footer={<Button onClick={() => setDeliveryId(null)}>Close</Button>}
      >
        {deliveryId && <TestDeliveryResult endpointId={endpoint.id} deliveryId={deliveryId} />}
      </Dialog>
    </>
  );
}
