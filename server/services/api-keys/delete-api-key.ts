import { getDb } from "../../db";
import { AppError } from "../../lib/errors";

export async function deleteApiKey(tenantId: string, id: string): Promise<void> {
  const db = await getDb();
  const { count } = await db.apiKey.deleteMany({ where: { id, tenantId } });
  if (count === 0) throw AppError.notFound();
}
