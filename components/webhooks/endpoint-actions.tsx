"use client";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { toast } from "sonner";
import { useTRPC } from "@/trpc/client";
import { ConfirmDelete } from "../common/confirm-delete";
import { Button } from "../ui/button";
import { Dialog } from "../ui/dialog";
import { endpointHost } from "./endpoint-name";
import { SendTestEvent } from "./send-test-event";
import type { WebhookEndpoint } from "./types";
import { WebhookEndpointForm } from "./webhook-form";

/** The endpoint page's changes: send a test event, edit, enable or disable, delete. Owners and admins only. */
export function EndpointActions({ endpoint }: { endpoint: WebhookEndpoint }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const router = useRouter();
  const [dialog, setDialog] = useState<"edit" | "disable" | "delete" | null>(null);
  const close = () => setDialog(null);
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.webhookEndpoints.pathKey() });
  const setActive = useMutation(
    trpc.webhookEndpoints.update.mutationOptions({
      onSuccess: async (saved) => {
        await refresh();
        close();
        toast.success(saved.active ? "Endpoint enabled" : "Endpoint disabled");
      },
    }),
  );
  const remove = useMutation(
    trpc.webhookEndpoints.delete.mutationOptions({
      onSuccess: async () => {
        close();
        toast.success("Webhook endpoint deleted");
        router.push("/webhooks");
        await queryClient.invalidateQueries({ queryKey: trpc.webhookEndpoints.list.queryKey() });
      },
    }),
  );
  const host = endpointHost(endpoint.url);
  return (
    <>
      <SendTestEvent endpoint={endpoint} />
      <Button variant="secondary" onClick={() => setDialog("edit")}>
        Edit
      </Button>
      {endpoint.active ? (
        <Button variant="secondary" onClick={() => setDialog("disable")}>
          Disable
        </Button>
      ) : (
        <Button variant="secondary" pending={setActive.isPending} onClick={() => setActive.mutate({ id: endpoint.id, data: { active: true } })}>
          Enable
        </Button>
      )}
      <Button variant="danger" onClick={() => setDialog("delete")}>
        Delete
      </Button>

      <Dialog open={dialog === "edit"} onClose={close} title="Edit webhook endpoint" className="max-w-2xl">
        <WebhookEndpointForm endpoint={endpoint} onCancel={close} onSaved={close} />
      </Dialog>
      <Dialog
        open={dialog === "disable"}
        onClose={close}
        title="Disable this endpoint?"
        footer={
          <>
            <Button variant="secondary" onClick={close}>
              Cancel
            </Button>
            <Button variant="danger" pending={setActive.isPending} onClick={() => setActive.mutate({ id: endpoint.id, data: { active: false } })}>
              Disable endpoint
            </Button>
          </>
        }
      >
        <p className="text-sm text-slate-600">New events are no longer sent here and its pending deliveries stop (they end failed). Enable it again at any time.</p>
      </Dialog>
      <ConfirmDelete
        open={dialog === "delete"}
        onClose={close}
        onConfirm={() => remove.mutate({ id: endpoint.id })}
        pending={remove.isPending}
        title="Delete this webhook endpoint?"
        name={host}
        consequence="The endpoint and its delivery log are removed for good; no more events are sent to it."
        confirmLabel="Delete endpoint"
      />
    </>
  );
}
