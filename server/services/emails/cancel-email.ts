import { getDb, Prisma, type Email } from "../../db";
import { AppError } from "../../lib/errors";
import { isTestKey, type Principal } from "../auth/authenticate-request";
import { writeEmailEvent } from "../events/email-event-write";

/**
 * Cancels an email that has not started sending: still queued and never claimed by an attempt (a scheduled
 * email waiting for its time, or one not yet picked up). One conditional UPDATE with its `canceled` event:
 * the send function's claim updates only a queued row under a row lock, so of a cancel and a claim racing
 * for the same row exactly one wins, and a canceled email is never attempted. Anything else (already
 * canceled, sent, failed, or an attempt under way) is a conflict; another tenant's email, or a live email
 * for a test key, does not exist.
 */
export async function cancelEmail(tenantId: string, principal: Principal, id: string): Promise<Email> {
  const testOnly = isTestKey(principal) ? Prisma.sql`AND "test" = true` : Prisma.empty;
  const { written } = await writeEmailEvent({
    tenantId,
    emailId: id,
    set: Prisma.sql`"status" = 'canceled', "canceledAt" = ${new Date()}, "nextAttemptAt" = NULL`,
    where: Prisma.sql`AND "status" = 'queued' AND "attempts" = 0 AND "attemptToken" IS NULL ${testOnly}`,
    type: "canceled",
    data: {},
  });
  const db = await getDb();
  const email = await db.email.findFirst({ where: { id, tenantId, ...(isTestKey(principal) ? { test: true } : {}) } });
  if (!email) throw AppError.notFound();
  if (written) return email;
  if (email.status === "canceled") throw new AppError("conflict", "Email is already canceled");
  if (email.status === "queued") throw new AppError("conflict", "Email is already being sent and can no longer be canceled");
  throw new AppError("conflict", `Email is already ${email.status} and can no longer be canceled`);
}
