"use client";
import { useState } from "react";
import { Dialog } from "../ui/dialog";
import { InvitationLinkDialog, type IssuedLink } from "./invitation-link";
import { InviteForm } from "./invite-form";

/** The invite form in a dialog, then the link in a show-once dialog; closing that forgets the link. */
export function InviteMemberDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const [issued, setIssued] = useState<IssuedLink | null>(null);
  return (
    <>
      <Dialog open={open} onClose={onClose} title="Invite a member" description="You get a link to send them; it works once, for 7 days.">
        <InviteForm
          onCancel={onClose}
          onInvited={(link) => {
            onClose();
            setIssued(link);
          }}
        />
      </Dialog>
      <InvitationLinkDialog issued={issued} onClose={() => setIssued(null)} />
    </>
  );
}
