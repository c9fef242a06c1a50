import { AppError } from "../../lib/errors";
import { endUserSessions } from "../accounts/end-user-sessions";
import { actingManager, keepAnOwner, membershipTransaction, otherMember, revokeLinksMadeBy } from "./membership";
import type { MemberRole } from "./schemas";

/**
 * Owners and admins change other members' roles; only an owner grants the owner role or changes an owner's,
 * and the tenant keeps at least one owner. The changed user's dashboard sessions end in the same
 * transaction, so they sign in again under the new role; made a member, the links they made stop working.
 */
export async function changeMemberRole(tenantId: string, actorId: string, id: string, role: MemberRole) {
  return membershipTransaction(tenantId, async (tx) => {
    const actor = await actingManager(tx, tenantId, actorId);
    const target = await otherMember(tx, tenantId, actor, id, "change the role of");
    if ((target.role === "owner" || role === "owner") && actor.role !== "owner") {
      throw new AppError("forbidden", "Only an owner can grant the owner role or change an owner's role");
    }
    if (target.role === role) return target;
    if (role !== "owner") await keepAnOwner(tx, tenantId, target);
    await endUserSessions(target.id, tx);
    if (role === "member") await revokeLinksMadeBy(tx, tenantId, target.id);
    return tx.user.update({ where: { id: target.id }, data: { role } });
  });
}
