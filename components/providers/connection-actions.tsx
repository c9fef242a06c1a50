"use client";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { toast } from "sonner";
import { useTRPC } from "@/trpc/client";
import { ConfirmDelete } from "../common/confirm-delete";
import { Button } from "../ui/button";
import type { ConnectionView } from "./types";
import { useRefreshConnections } from "./use-refresh-connections";

export interface VerifyOutcome {
  status: string;
  message: string | null;
}

/** Verify now, enable or disable, delete (the name typed). Owners and admins only: the page hides it for members. */
export function ConnectionActions({ connection, onVerified }: { connection: ConnectionView; onVerified: (outcome: VerifyOutcome) => void }) {
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const refresh = useRefreshConnections();
  const [confirming, setConfirming] = useState(false);

  const verify = useMutation(
    trpc.providerConnections.verify.mutationOptions({
      onSuccess: async ({ verification }) => {
        onVerified(verification);
        await queryClient.invalidateQueries({ queryKey: trpc.providerConnections.get.queryKey({ id: connection.id }) });
        await refresh();
      },
      onError: (error) => onVerified({ status: "failed", message: error.message }),
    }),
  );
  const toggle = useMutation(
    trpc.providerConnections.update.mutationOptions({
      onSuccess: async (updated) => {
        await refresh(updated);
        toast.success(updated.enabled ? `${updated.display_name} enabled: sends may use it again` : `${updated.display_name} disabled: sends skip it`);
      },
    }),
  );
  const remove = useMutation(
    trpc.providerConnections.delete.mutationOptions({
      onSuccess: async () => {
        setConfirming(false);
        queryClient.removeQueries({ queryKey: trpc.providerConnections.get.queryKey({ id: connection.id }) });
        await refresh();
        await queryClient.invalidateQueries({ queryKey: trpc.routingRules.list.queryKey() });
        toast.success(`${connection.display_name} deleted`);
        router.push("/providers");
      },
    }),
  );

  return (
    <div className="flex flex-wrap items-center gap-2">
      <Button variant="secondary" pending={verify.isPending} onClick={() => verify.mutate({ id: connection.id })}>
        {verify.isPending ? "Verifying…" : "Verify credentials"}
      </Button>
      <Button variant="secondary" pending={toggle.isPending} onClick={() => toggle.mutate({ id: connection.id, data: { enabled: !connection.enabled } })}>
        {connection.enabled ? "Disable" : "Enable"}
      </Button>
      <Button variant="ghost" className="text-red-700 hover:bg-red-50" onClick={() => setConfirming(true)}>
        Delete
      </Button>
      <ConfirmDelete
        open={confirming}
        onClose={() => setConfirming(false)}
        onConfirm={() => remove.mutate({ id: connection.id })}
        pending={remove.isPending}
        title={`Delete “${connection.display_name}”?`}
        name={connection.display_name}
        consequence="Sends stop using it at once, routing rules drop it, and its event webhook URL stops accepting events. The stored credentials are destroyed; emails already sent keep their history."
        confirmLabel="Delete connection"
      />
    </div>
  );
}
