import { getDb } from "../../db";
import { pageWindow, type Pagination } from "../../lib/pagination";

/** Newest first, like the other lists. */
export async function listDomains(tenantId: string, page: Pagination) {
  const db = await getDb();
  const where = { tenantId };
  const [items, total] = await Promise.all([db.domain.findMany({ where, orderBy: [{ createdAt: "desc" }, { id: "desc" }], ...pageWindow(page) }), db.domain.count({ where })]);
  return { items, total };
}
