"use client";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { toast } from "sonner";
import { useTRPC } from "@/trpc/client";
import { ConfirmDelete } from "../common/confirm-delete";
import { Button } from "../ui/button";
import type { MemberRow } from "./types";

/** Removes another member after their email is typed: their access ends at once. */
export function RemoveMember({ member }: { member: MemberRow }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(false);
  const remove = useMutation(
    trpc.members.remove.mutationOptions({
      onSuccess: async () => {
        await queryClient.invalidateQueries({ queryKey: trpc.members.list.queryKey() });
        setOpen(false);
        toast.success(`${member.name} was removed`);
      },
    }),
  );
  return (
    <>
      <Button size="sm" variant="ghost" className="text-red-700 hover:bg-red-50" onClick={() => setOpen(true)} aria-label={`Remove ${member.name}`}>
        Remove
      </Button>
      <ConfirmDelete
        open={open}
        onClose={() => setOpen(false)}
        onConfirm={() => remove.mutate({ id: member.id })}
        pending={remove.isPending}
        title={`Remove ${member.name}?`}
        name={member.email}
        consequence="They lose access at once and their sign-in is deleted. You can invite the address again later."
        confirmLabel="Remove member"
      />
    </>
  );
}
