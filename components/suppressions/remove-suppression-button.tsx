"use client";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { toast } from "sonner";
import { useTRPC } from "@/trpc/client";
import { Button } from "../ui/button";
import { Dialog } from "../ui/dialog";
import type { SuppressionRow } from "./types";

/** Removing an address allows sending to it again: asked once, in a small dialog. */
export function RemoveSuppressionButton({ suppression }: { suppression: SuppressionRow }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(false);
  const remove = useMutation(
    trpc.suppressions.delete.mutationOptions({
      onSuccess: async () => {
        await queryClient.invalidateQueries({ queryKey: trpc.suppressions.list.queryKey() });
        setOpen(false);
        toast.success(`${suppression.email} removed: sends to it are allowed again`);
      },
    }),
  );
  return (
    <>
      <Button variant="ghost" size="sm" onClick={() => setOpen(true)} aria-label={`Remove ${suppression.email}`}>
        Remove
      </Button>
      <Dialog
        open={open}
        onClose={() => setOpen(false)}
        title="Remove from the suppression list?"
        footer={
          <>
            <Button variant="secondary" onClick={() => setOpen(false)}>
              Cancel
            </Button>
            <Button variant="danger" pending={remove.isPending} onClick={() => remove.mutate({ id: suppression.id })}>
              Remove from the list
            </Button>
          </>
        }
      >
        <p className="text-sm text-slate-600">
          Sends to <strong className="break-all text-slate-900">{suppression.email}</strong> will be attempted again. If it still bounces or complains, it is added back automatically.
        </p>
      </Dialog>
    </>
  );
}
