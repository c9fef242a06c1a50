import { getDb } from "../../db";
import { AppError } from "../../lib/errors";
import type { Principal } from "../auth/authenticate-request";

export async function getAccount(principal: Principal) {
  const db = await getDb();
  const tenant = await db.tenant.findUnique({ where: { id: principal.tenantId } });
  if (!tenant) throw AppError.unauthorized();
  const user = principal.kind === "user" ? await db.user.findFirst({ where: { id: principal.userId, tenantId: principal.tenantId } }) : null;
  return { tenant, user, principal };
}
