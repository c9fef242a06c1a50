import { getDb } from "../../db";
import { AppError } from "../../lib/errors";

/** Its deliveries go with it; a run still retrying one finds it gone and stops. */
export async function deleteWebhookEndpoint(tenantId: string, id: string): Promise<void> {
  const db = await getDb();
  const { count } = await db.webhookEndpoint.deleteMany({ where: { id, tenantId } });
  if (count === 0) throw AppError.notFound();
}
