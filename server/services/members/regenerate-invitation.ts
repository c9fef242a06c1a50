import { AppError } from "../../lib/errors";
import { actingManager, membershipTransaction } from "./membership";
import { checkInvitable } from "./pending-invitations";
import { newInvitationToken } from "./invitation-token";

/**
 * A new link for an unaccepted invitation (pending or expired), good for 7 days from now; the old link is dead.
 * Its maker (invitedBy) is now whoever was shown this link, so the link ends with their right to manage members.
 */
export async function regenerateInvitation(tenantId: string, actorId: string, id: string) {
  const { token, tokenHash, expiresAt } = newInvitationToken();
  const invitation = await membershipTransaction(tenantId, async (tx) => {
    const actor = await actingManager(tx, tenantId, actorId);
    const existing = await tx.invitation.findFirst({ where: { id, tenantId } });
    if (!existing) throw AppError.notFound();
    if (existing.acceptedAt) throw new AppError("conflict", "This invitation has been accepted already");
    await checkInvitable(tx, tenantId, existing.email, existing.id);
    return tx.invitation.update({ where: { id: existing.id }, data: { tokenHash, expiresAt, invitedById: actor.id } });
  });
  return { invitation, token };
}
