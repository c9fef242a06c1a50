import { getDb } from "../../db";
import { AppError } from "../../lib/errors";

/** Emails sent through it keep their history (their connection reference is cleared, the provider name stays). */
export async function deleteProviderConnection(tenantId: string, id: string): Promise<void> {
  const db = await getDb();
  const { count } = await db.providerConnection.deleteMany({ where: { id, tenantId } });
  if (count === 0) throw AppError.notFound();
}
