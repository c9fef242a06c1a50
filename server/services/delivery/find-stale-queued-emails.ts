import { getDb } from "../../db";

/**
 * Emails still `queued` well after they were accepted: their event was probably never emitted (the process
 * died between the insert and the emit, or Inngest was unreachable). Named unsafe because it reads across
 * tenants on purpose: it serves the recovery sweep, never a tenant's request.
 */
export async function unsafeFindStaleQueuedEmails(olderThanMs: number, limit: number): Promise<{ id: string; tenantId: string }[]> {
  const db = await getDb();
  return db.email.findMany({
    where: { status: "queued", queuedAt: { lt: new Date(Date.now() - olderThanMs) } },
    select: { id: true, tenantId: true },
    orderBy: { queuedAt: "asc" },
    take: limit,
  });
}
