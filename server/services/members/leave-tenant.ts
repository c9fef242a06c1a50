import { actingUser, keepAnOwner, membershipTransaction, revokeLinksMadeBy } from "./membership";

/** Any member may leave; their user is deleted (one tenant per user) and the links they made stop working. The last owner cannot leave. */
export async function leaveTenant(tenantId: string, userId: string): Promise<void> {
  await membershipTransaction(tenantId, async (tx) => {
    const me = await actingUser(tx, tenantId, userId);
    await keepAnOwner(tx, tenantId, me);
    await revokeLinksMadeBy(tx, tenantId, me.id);
    await tx.user.delete({ where: { id: me.id } });
  });
}
