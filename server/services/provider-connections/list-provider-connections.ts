import { getDb } from "../../db";
import { pageWindow, type Pagination } from "../../lib/pagination";

/** Sorted by priority (the order failover tries them), then by age. */
export async function listProviderConnections(tenantId: string, page: Pagination) {
  const db = await getDb();
  const where = { tenantId };
  const [items, total] = await Promise.all([
    db.providerConnection.findMany({ where, orderBy: [{ priority: "asc" }, { createdAt: "asc" }], ...pageWindow(page) }),
    db.providerConnection.count({ where }),
  ]);
  return { items, total };
}
