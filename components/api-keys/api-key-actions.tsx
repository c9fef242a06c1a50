"use client";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { toast } from "sonner";
import { useTRPC } from "@/trpc/client";
import { ConfirmDelete } from "../common/confirm-delete";
import { Button } from "../ui/button";
import { Dialog } from "../ui/dialog";
import type { ApiKeyRow } from "./types";

/** Revoke (confirmed) and delete (the key's name typed) for one key; owners and admins only. */
export function ApiKeyActions({ apiKey }: { apiKey: ApiKeyRow }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [dialog, setDialog] = useState<"revoke" | "delete" | null>(null);
  const close = () => setDialog(null);
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.apiKeys.list.queryKey() });
  const revoke = useMutation(
    trpc.apiKeys.revoke.mutationOptions({
      onSuccess: async () => {
        await refresh();
        close();
        toast.success(`API key “${apiKey.name}” revoked`);
      },
    }),
  );
  const remove = useMutation(
    trpc.apiKeys.delete.mutationOptions({
      onSuccess: async () => {
        await refresh();
        close();
        toast.success(`API key “${apiKey.name}” deleted`);
      },
    }),
  );
  const revoked = apiKey.status === "revoked";
  return (
    <div className="flex justify-end gap-2">
      {!revoked && (
        <Button size="sm" variant="secondary" onClick={() => setDialog("revoke")} aria-label={`Revoke ${apiKey.name}`}>
          Revoke
        </Button>
      )}
      <Button size="sm" variant="ghost" className="text-red-700 hover:bg-red-50" onClick={() => setDialog("delete")} aria-label={`Delete ${apiKey.name}`}>
        Delete
      </Button>
      <Dialog
        open={dialog === "revoke"}
        onClose={close}
        title={`Revoke “${apiKey.name}”?`}
        footer={
          <>
            <Button variant="secondary" onClick={close}>
              Cancel
            </Button>
            <Button variant="danger" pending={revoke.isPending} onClick={() => revoke.mutate({ id: apiKey.id })}>
              Revoke key
            </Button>
          </>
        }
      >
        <p className="text-sm text-slate-600">Every request with this key is refused from now on (401). The key stays in the list as revoked; this cannot be undone.</p>
      </Dialog>
      <ConfirmDelete
        open={dialog === "delete"}
        onClose={close}
        onConfirm={() => remove.mutate({ id: apiKey.id })}
        pending={remove.isPending}
        title={`Delete “${apiKey.name}”?`}
        name={apiKey.name}
        consequence="The key is removed for good; requests with it are refused (401)."
        confirmLabel="Delete key"
      />
    </div>
  );
}
