import { getDb } from "../../db";
import { AppError } from "../../lib/errors";

/**
 * Revoking is immediate: authentication reads the key row on every request. Revoking twice keeps the first
 * time. One conditional write, so a key deleted or revoked concurrently is a 404 or the first revocation.
 */
export async function revokeApiKey(tenantId: string, id: string) {
  const db = await getDb();
  await db.apiKey.updateMany({ where: { id, tenantId, revokedAt: null }, data: { revokedAt: new Date() } });
  const key = await db.apiKey.findFirst({ where: { id, tenantId } });
  if (!key) throw AppError.notFound();
  return key;
}
