"use client";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { toast } from "sonner";
import { useTRPC } from "@/trpc/client";
import { Button } from "../ui/button";
import { Dialog } from "../ui/dialog";
import { InvitationLinkDialog, type IssuedLink } from "./invitation-link";
import type { InvitationRow } from "./types";

/** A new link (the old one stops working) and revoke, for an invitation not accepted yet. */
export function InvitationActions({ invitation }: { invitation: InvitationRow }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [confirming, setConfirming] = useState(false);
  const [issued, setIssued] = useState<IssuedLink | null>(null);
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.members.invitations.queryKey() });
  const regenerate = useMutation(
    trpc.members.regenerateInvitation.mutationOptions({
      onSuccess: async (renewed) => {
        await refresh();
        setIssued({ email: renewed.email, link: renewed.link });
      },
    }),
  );
  const revoke = useMutation(
    trpc.members.revokeInvitation.mutationOptions({
      onSuccess: async () => {
        await refresh();
        setConfirming(false);
        toast.success(`Invitation for ${invitation.email} revoked`);
      },
    }),
  );
  return (
    <div className="flex justify-end gap-2">
      <Button size="sm" variant="secondary" pending={regenerate.isPending} onClick={() => regenerate.mutate({ id: invitation.id })} aria-label={`New link for ${invitation.email}`}>
        New link
      </Button>
      <Button size="sm" variant="ghost" className="text-red-700 hover:bg-red-50" onClick={() => setConfirming(true)} aria-label={`Revoke invitation for ${invitation.email}`}>
        Revoke
      </Button>
      <Dialog
        open={confirming}
        onClose={() => setConfirming(false)}
        title={`Revoke the invitation for ${invitation.email}?`}
        footer={
          <>
            <Button variant="secondary" onClick={() => setConfirming(false)}>
              Cancel
            </Button>
            <Button variant="danger" pending={revoke.isPending} onClick={() => revoke.mutate({ id: invitation.id })}>
              Revoke invitation
            </Button>
          </>
        }
      >
        <p className="text-sm text-slate-600">Its link stops working at once. You can invite the address again afterwards.</p>
      </Dialog>
      <InvitationLinkDialog issued={issued} onClose={() => setIssued(null)} />
    </div>
  );
}
