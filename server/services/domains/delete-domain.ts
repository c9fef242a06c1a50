import { getDb } from "../../db";
import { AppError } from "../../lib/errors";

export async function deleteDomain(tenantId: string, id: string): Promise<void> {
  const db = await getDb();
  const { count } = await db.domain.deleteMany({ where: { id, tenantId } });
  if (count === 0) throw AppError.notFound();
}
