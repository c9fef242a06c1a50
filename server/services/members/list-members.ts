import { getDb } from "../../db";
import { pageWindow, type Pagination } from "../../lib/pagination";

/** Owners first, then admins, then members; oldest first within a role. */
export async function listMembers(tenantId: string, page: Pagination) {
  const db = await getDb();
  const where = { tenantId };
  const [items, total] = await Promise.all([
    db.user.findMany({ where, orderBy: [{ role: "asc" }, { createdAt: "asc" }, { id: "asc" }], ...pageWindow(page) }),
    db.user.count({ where }),
  ]);
  return { items, total };
}
