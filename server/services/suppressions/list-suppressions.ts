import type { z } from "zod";
import { getDb } from "../../db";
import { pageWindow, type Pagination } from "../../lib/pagination";
import type { listSuppressionsQuery } from "./schemas";

export async function listSuppressions(tenantId: string, filters: z.infer<typeof listSuppressionsQuery>, page: Pagination) {
  const db = await getDb();
  const where = {
    tenantId,
    ...(filters.reason ? { reason: filters.reason } : {}),
    ...(filters.email ? { email: { contains: filters.email.toLowerCase() } } : {}),
  };
  const [items, total] = await Promise.all([
    db.suppression.findMany({ where, orderBy: [{ createdAt: "desc" }, { id: "desc" }], ...pageWindow(page) }),
    db.suppression.count({ where }),
  ]);
  return { items, total };
}
