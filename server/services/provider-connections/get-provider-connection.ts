import { getDb } from "../../db";
import { AppError } from "../../lib/errors";

export async function getProviderConnectionOrThrow(tenantId: string, id: string) {
  const db = await getDb();
  const row = await db.providerConnection.findFirst({ where: { id, tenantId } });
  if (!row) throw AppError.notFound();
  return row;
}
