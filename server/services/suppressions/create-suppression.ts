import { getDb } from "../../db";
import type { CreateSuppressionInput } from "./schemas";

/**
 * Adds (or refreshes) a suppression. Addresses are stored lower-case, so the unique (tenant, email) index
 * makes them case-insensitive. Returns whether it was new.
 */
export async function createSuppression(tenantId: string, input: CreateSuppressionInput & { emailId?: string }) {
  const db = await getDb();
  const email = input.email.toLowerCase();
  const existing = await db.suppression.findUnique({ where: { tenantId_email: { tenantId, email } } });
  const suppression = await db.suppression.upsert({
    where: { tenantId_email: { tenantId, email } },
    create: { tenantId, email, reason: input.reason, note: input.note ?? null, emailId: input.emailId ?? null },
    update: { reason: input.reason, ...(input.note !== undefined ? { note: input.note } : {}) },
  });
  return { suppression, created: !existing };
}
