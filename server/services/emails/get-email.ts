import { getDb } from "../../db";
import { AppError } from "../../lib/errors";
import { isTestKey, type Principal } from "../auth/authenticate-request";

/** The email with its event timeline, oldest first. A live email does not exist for a test key. */
export async function getEmailOrThrow(tenantId: string, principal: Principal, id: string) {
  const db = await getDb();
  const email = await db.email.findFirst({
    where: { id, tenantId, ...(isTestKey(principal) ? { test: true } : {}) },
    include: { events: { where: { tenantId }, orderBy: [{ occurredAt: "asc" }, { sequence: { sort: "asc", nulls: "first" } }, { id: "asc" }] } },
  });
  if (!email) throw AppError.notFound();
  return email;
}
