import { actingManager, membershipTransaction } from "./membership";
import { checkInvitable } from "./pending-invitations";
import { newInvitationToken } from "./invitation-token";
import type { CreateInvitationInput } from "./schemas";

/** Returns the invitation and the token of its link, which is never stored (only its SHA-256) and shown only now. */
export async function createInvitation(tenantId: string, actorId: string, input: CreateInvitationInput) {
  const { token, tokenHash, expiresAt } = newInvitationToken();
  const invitation = await membershipTransaction(tenantId, async (tx) => {
    const actor = await actingManager(tx, tenantId, actorId);
    await checkInvitable(tx, tenantId, input.email);
    return tx.invitation.create({ data: { tenantId, email: input.email, role: input.role, tokenHash, expiresAt, invitedById: actor.id } });
  });
  return { invitation, token };
}
