/**
 * Whether a dashboard session's version is still its user's: false once the user signed out (of any copy),
 * was removed, or had their role changed (server/services/accounts/end-user-sessions.ts). For the readers of
 * a session that do not go through tRPC's tenant check (countUserRequest checks it in the same round trip):
 * next-auth's session endpoint and the server components' context.
 */
import type { SessionClaims } from "../../auth/dashboard-session";
import { getDb } from "../../db";

export async function sessionIsCurrent(claims: SessionClaims): Promise<boolean> {
  const db = await getDb();
  const found = await db.user.count({ where: { id: claims.userId, tenantId: claims.tenantId, sessionVersion: claims.sessionVersion } });
  return found > 0;
}
