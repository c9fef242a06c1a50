"use client";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { toast } from "sonner";
import { useTRPC } from "@/trpc/client";
import { ConfirmDelete } from "../common/confirm-delete";
import { Button, type ButtonSize } from "../ui/button";
import type { RuleView } from "./types";

/** Delete a rule after its name is typed; `onDeleted` (the edit page) leaves the page afterwards. */
export function DeleteRuleButton({ rule, size = "md", onDeleted }: { rule: Pick<RuleView, "id" | "name">; size?: ButtonSize; onDeleted?: () => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(false);
  const remove = useMutation(
    trpc.routingRules.delete.mutationOptions({
      onSuccess: async () => {
        setOpen(false);
        queryClient.removeQueries({ queryKey: trpc.routingRules.get.queryKey({ id: rule.id }) });
        await queryClient.invalidateQueries({ queryKey: trpc.routingRules.list.queryKey() });
        toast.success(`Routing rule “${rule.name}” deleted`);
        onDeleted?.();
      },
    }),
  );
  return (
    <>
      <Button size={size} variant="ghost" className="text-red-700 hover:bg-red-50" onClick={() => setOpen(true)} aria-label={`Delete ${rule.name}`}>
        Delete
      </Button>
      <ConfirmDelete
        open={open}
        onClose={() => setOpen(false)}
        onConfirm={() => remove.mutate({ id: rule.id })}
        pending={remove.isPending}
        title={`Delete “${rule.name}”?`}
        name={rule.name}
        consequence="Emails it matched take the next matching rule, or the default route (every enabled connection by priority)."
        confirmLabel="Delete rule"
      />
    </>
  );
}
