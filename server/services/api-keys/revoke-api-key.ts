import { getDb } from "../../db";
import { AppError } from "../../lib/errors";

/** Revoking is immediate: authentication reads the key row on every request. Revoking twice keeps the first time. */
export async function revokeApiKey(tenantId: string, id: string) {
  const db = await getDb();
  const existing = await db.apiKey.findFirst({ where: { id, tenantId } });
  if (!existing) throw AppError.notFound();
  if (existing.revokedAt) return existing;
  return db.apiKey.update({ where: { id: existing.id }, data: { revokedAt: new Date() } });
}
