import { getDb } from "../../db";
import { AppError } from "../../lib/errors";

/** Removing a suppression allows sending to that address again. */
export async function deleteSuppression(tenantId: string, id: string): Promise<void> {
  const db = await getDb();
  const { count } = await db.suppression.deleteMany({ where: { id, tenantId } });
  if (count === 0) throw AppError.notFound();
}
