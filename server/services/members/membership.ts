/**
 * What every change of a tenant's membership shares: one transaction that first locks the tenant's row, so
 * changes of one tenant's members take turns (two owners demoting each other at once cannot leave none),
 * and the acting user's role read again under that lock, not trusted from the start of the request.
 */
import { getDb, Prisma, type User } from "../../db";
import { AppError } from "../../lib/errors";

export type Tx = Prisma.TransactionClient;

/** PGlite has one connection: a transaction may wait behind other work, so allow more than Prisma's 2 s. */
const TRANSACTION_OPTIONS = { maxWait: 15_000, timeout: 15_000 };

export async function membershipTransaction<T>(tenantId: string, work: (tx: Tx) => Promise<T>): Promise<T> {
  const db = await getDb();
  return db.$transaction(async (tx) => {
    // NO KEY UPDATE: rows elsewhere that merely reference the tenant (KEY SHARE) do not wait for it.
    await tx.$queryRaw(Prisma.sql`SELECT 1 FROM "Tenant" WHERE "id" = ${tenantId}::uuid FOR NO KEY UPDATE`);
    return work(tx);
  }, TRANSACTION_OPTIONS);
}

/** The acting user as they are now. Gone (removed meanwhile): their session no longer counts. */
export async function actingUser(tx: Tx, tenantId: string, userId: string): Promise<User> {
  const actor = await tx.user.findFirst({ where: { id: userId, tenantId } });
  if (!actor) throw AppError.unauthorized();
  return actor;
}

/** The acting user, who must be allowed to manage members (an owner or an admin). */
export async function actingManager(tx: Tx, tenantId: string, userId: string): Promise<User> {
  const actor = await actingUser(tx, tenantId, userId);
  if (actor.role === "member") throw new AppError("forbidden", "Only owners and admins can manage members");
  return actor;
}

/** Another member of the tenant: NOT_FOUND for another tenant's user, FORBIDDEN for oneself (roles change only by leaving). */
export async function otherMember(tx: Tx, tenantId: string, actor: User, id: string, action: string): Promise<User> {
  const target = await tx.user.findFirst({ where: { id, tenantId } });
  if (!target) throw AppError.notFound();
  if (target.id === actor.id) throw new AppError("forbidden", `You cannot ${action} yourself: leave the account instead, or ask another owner`);
  return target;
}

export const LAST_OWNER = "The account must keep at least one owner: make another member an owner first";

/** Refuses a change that would leave the tenant without an owner; counted under the tenant lock. */
export async function keepAnOwner(tx: Tx, tenantId: string, leaving: User): Promise<void> {
  if (leaving.role !== "owner") return;
  const others = await tx.user.count({ where: { tenantId, role: "owner", id: { not: leaving.id } } });
  if (others === 0) throw new AppError("conflict", LAST_OWNER);
}

/**
 * The unaccepted links a user made end when they may no longer manage members (removed, gone, made a member):
 * a link is shown only to its maker, who could otherwise come back through it (as an admin). Before their row
 * goes, since deleting it clears invitedById.
 */
export async function revokeLinksMadeBy(tx: Tx, tenantId: string, userId: string): Promise<void> {
  await tx.invitation.deleteMany({ where: { tenantId, invitedById: userId, acceptedAt: null } });
}
