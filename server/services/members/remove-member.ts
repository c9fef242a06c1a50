import { AppError } from "../../lib/errors";
import { actingManager, keepAnOwner, membershipTransaction, otherMember, revokeLinksMadeBy } from "./membership";

/**
 * Deletes another member's user (a user belongs to one tenant): their sessions stop at once, since every
 * dashboard and REST session call looks the user up, and the links they made stop working. Only an owner
 * removes an owner; the last owner stays.
 */
export async function removeMember(tenantId: string, actorId: string, id: string): Promise<void> {
  await membershipTransaction(tenantId, async (tx) => {
    const actor = await actingManager(tx, tenantId, actorId);
    const target = await otherMember(tx, tenantId, actor, id, "remove");
    if (target.role === "owner" && actor.role !== "owner") throw new AppError("forbidden", "Only an owner can remove an owner");
    await keepAnOwner(tx, tenantId, target);
    await revokeLinksMadeBy(tx, tenantId, target.id);
    await tx.user.delete({ where: { id: target.id } });
  });
}
