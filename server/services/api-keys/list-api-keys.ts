import { getDb } from "../../db";
import { pageWindow, type Pagination } from "../../lib/pagination";

export async function listApiKeys(tenantId: string, page: Pagination) {
  const db = await getDb();
  const where = { tenantId };
  const [items, total] = await Promise.all([
    db.apiKey.findMany({ where, orderBy: { createdAt: "desc" }, ...pageWindow(page) }),
    db.apiKey.count({ where }),
  ]);
  return { items, total };
}
