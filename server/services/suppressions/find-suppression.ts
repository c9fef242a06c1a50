import { getDb } from "../../db";

export async function findSuppression(tenantId: string, address: string) {
  const db = await getDb();
  return db.suppression.findUnique({ where: { tenantId_email: { tenantId, email: address.toLowerCase() } } });
}
