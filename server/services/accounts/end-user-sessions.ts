/**
 * Ends dashboard sessions by bumping User.sessionVersion: every session signed in before carries the old
 * version and is refused from then on (tRPC's tenant check, the server components' context, next-auth's
 * session endpoint), however many copies of its cookie exist and however often they are re-issued.
 */
import type { SessionClaims } from "../../auth/dashboard-session";
import { getDb, type Prisma } from "../../db";

/**
 * Every dashboard session of the user ends (removal, role change, password change). Inside a caller's
 * transaction when given one, so the change and the end of the sessions commit together. False when there is
 * no such user.
 */
export async function endUserSessions(userId: string, tx?: Prisma.TransactionClient): Promise<boolean> {
  const db = tx ?? (await getDb());
  const { count } = await db.user.updateMany({ where: { id: userId }, data: { sessionVersion: { increment: 1 } } });
  return count > 0;
}

/**
 * Sign-out: the signed-out session and every other copy of it end — only if it is still the current one, so a
 * stale copy (of an earlier version) cannot end the sessions the user has signed in with since.
 */
export async function endSignedOutSession(claims: SessionClaims): Promise<boolean> {
  const db = await getDb();
  const { count } = await db.user.updateMany({
    where: { id: claims.userId, tenantId: claims.tenantId, sessionVersion: claims.sessionVersion },
    data: { sessionVersion: { increment: 1 } },
  });
  return count > 0;
}
