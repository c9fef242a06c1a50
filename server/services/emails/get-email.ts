import { getDb } from "../../db";
import { AppError } from "../../lib/errors";

/** The email with its event timeline, oldest first. */
export async function getEmailOrThrow(tenantId: string, id: string) {
  const db = await getDb();
  const email = await db.email.findFirst({
    where: { id, tenantId },
    include: { events: { where: { tenantId }, orderBy: [{ occurredAt: "asc" }, { id: "asc" }] } },
  });
  if (!email) throw AppError.notFound();
  return email;
}
