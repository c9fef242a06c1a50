import { getDb } from "../../db";
import { pageWindow, type Pagination } from "../../lib/pagination";

export async function listWebhookEndpoints(tenantId: string, page: Pagination) {
  const db = await getDb();
  const [items, total] = await Promise.all([
    db.webhookEndpoint.findMany({ where: { tenantId }, orderBy: [{ createdAt: "desc" }, { id: "desc" }], ...pageWindow(page) }),
    db.webhookEndpoint.count({ where: { tenantId } }),
  ]);
  return { items, total };
}
