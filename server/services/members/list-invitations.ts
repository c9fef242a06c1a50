import { getDb } from "../../db";
import { pageWindow, type Pagination } from "../../lib/pagination";

/** Newest first, pending, expired and accepted alike (the status is derived from acceptedAt and expiresAt). */
export async function listInvitations(tenantId: string, page: Pagination) {
  const db = await getDb();
  const where = { tenantId };
  const [items, total] = await Promise.all([
    db.invitation.findMany({ where, orderBy: [{ createdAt: "desc" }, { id: "desc" }], include: { invitedBy: { select: { name: true, email: true } } }, ...pageWindow(page) }),
    db.invitation.count({ where }),
  ]);
  return { items, total };
}
