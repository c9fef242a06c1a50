import { AppError } from "../../lib/errors";
import { actingManager, membershipTransaction } from "./membership";

/**
 * Deletes an unaccepted invitation, so its link stops working. One conditional delete: an accept racing with
 * it either finds no invitation or has already accepted it (then this is a CONFLICT, the member stays).
 */
export async function revokeInvitation(tenantId: string, actorId: string, id: string): Promise<void> {
  await membershipTransaction(tenantId, async (tx) => {
    await actingManager(tx, tenantId, actorId);
    const { count } = await tx.invitation.deleteMany({ where: { id, tenantId, acceptedAt: null } });
    if (count > 0) return;
    if (await tx.invitation.findFirst({ where: { id, tenantId }, select: { id: true } })) {
      throw new AppError("conflict", "This invitation has been accepted already: remove the member instead");
    }
    throw AppError.notFound();
  });
}
