import { getDb } from "../../db";
import { AppError } from "../../lib/errors";

export async function getDomainOrThrow(tenantId: string, id: string) {
  const db = await getDb();
  const domain = await db.domain.findFirst({ where: { id, tenantId } });
  if (!domain) throw AppError.notFound();
  return domain;
}
