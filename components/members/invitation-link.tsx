"use client";
import { RevealOnce } from "../common/reveal-once";

export interface IssuedLink {
  email: string;
  link: string;
}

/** A new invitation link, shown once: only a hash of its token is kept, so it can only be replaced, not shown again. */
export function InvitationLinkDialog({ issued, onClose }: { issued: IssuedLink | null; onClose: () => void }) {
  return (
    <RevealOnce
      open={issued !== null}
      onClose={onClose}
      title={issued ? `Invitation link for ${issued.email}` : "Invitation link"}
      label="Invitation link"
      secret={issued?.link ?? null}
      description="Send this link to them yourself: it works once, for 7 days. It is shown only now; if it gets lost, make a new one from the invitations list."
    />
  );
}
