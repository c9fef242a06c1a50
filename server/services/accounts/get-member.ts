import { getDb } from "../../db";
import { AppError } from "../../lib/errors";

/**
 * The signed-in user as a member of the tenant their session names, with the role as it is now (not as it
 * was at sign-in): a removed user or a deleted tenant is unauthorized from the next call on.
 */
export async function getMemberOrThrow(tenantId: string, userId: string) {
  const db = await getDb();
  const user = await db.user.findFirst({ where: { id: userId, tenantId }, select: { id: true, tenantId: true, role: true } });
  if (!user) throw AppError.unauthorized();
  return user;
}
