import { findInvitationByTokenOrThrow } from "./find-invitation";
import { invitationStatus } from "./invitation-token";

/** What the sign-up page of a link shows: whose account, which address and role, and whether it still works. */
export async function previewInvitation(token: string) {
  const invitation = await findInvitationByTokenOrThrow(token);
  return { invitation, tenant: invitation.tenant, status: invitationStatus(invitation) };
}
