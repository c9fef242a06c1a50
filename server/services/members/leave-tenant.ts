import { actingUser, keepAnOwner, membershipTransaction } from "./membership";

/** Any member may leave; their user is deleted (one tenant per user). The last owner cannot leave. */
export async function leaveTenant(tenantId: string, userId: string): Promise<void> {
  await membershipTransaction(tenantId, async (tx) => {
    const me = await actingUser(tx, tenantId, userId);
    await keepAnOwner(tx, tenantId, me);
    await tx.user.delete({ where: { id: me.id } });
  });
}
