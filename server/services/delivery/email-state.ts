/** Final and intermediate states of an email, each written with its timeline event in one statement. */
import { getDb, Prisma, type ProviderName } from "../../db";
import { writeEmailEvent } from "../events/email-event-write";
import { holdsAttempt, RELEASE_ATTEMPT } from "./attempt-claim";

/** `canceled` too: a send run that wakes (or starts) after a cancel attempts nothing. */
export const FINAL_STATUSES = ["sent", "delivered", "bounced", "failed", "suppressed", "canceled"] as const;

export async function markEmailSuppressed(tenantId: string, emailId: string, reason: string): Promise<boolean> {
  return updateEmailWithEvent({
    tenantId,
    emailId,
    onlyOpen: true,
    set: Prisma.sql`"status" = 'suppressed', "lastError" = ${`Recipient is suppressed (${reason})`}, "nextAttemptAt" = NULL, ${RELEASE_ATTEMPT}`,
    type: "suppressed",
    data: { reason },
  });
}

/**
 * Marks the email failed for good, unless it already reached a final state or an attempt holds it (then
 * nothing changes): a held attempt may have been accepted, so it is finished by its holder, a takeover, or
 * the recovery sweep — never failed from outside while it may have gone out.
 */
export async function markEmailFailed(
  tenantId: string,
  emailId: string,
  reason: string,
  data: Prisma.InputJsonObject = {},
  /** The connection that refused it for good, if one did (the failure then counts under its provider). */
  connection: { id: string; provider: ProviderName } | null = null,
): Promise<boolean> {
  return updateEmailWithEvent({
    tenantId,
    emailId,
    connection,
    onlyOpen: true,
    unheld: true,
    set: Prisma.sql`"status" = 'failed', "failedAt" = ${new Date()}, "lastError" = ${reason.slice(0, 1000)}, "nextAttemptAt" = NULL`,
    type: "failed",
    data: { reason, ...data },
  });
}

export interface EmailUpdateWithEvent {
  tenantId: string;
  emailId: string;
  /** The SET list of the email's UPDATE ("updatedAt" is added). */
  set: Prisma.Sql;
  type: "sent" | "attempt_failed" | "failed" | "suppressed";
  data: Prisma.InputJsonObject;
  connection?: { id: string; provider: ProviderName } | null;
  /** Only an email still queued changes (and only then is the event written). */
  onlyOpen?: boolean;
  /** A fenced write: only while the email still carries this attempt's token, which the write releases. */
  token?: string;
  /** Only while no attempt holds the email. */
  unheld?: boolean;
  /** The event's time (default now); a `sent` event takes the send's own sentAt. */
  occurredAt?: Date;
}

/**
 * Updates the email and appends its timeline event atomically, as one statement (events/email-event-write.ts:
 * for `sent`, `failed` and `suppressed` also the sequence, the rollup and the webhook outbox). Returns whether
 * the email row matched and so was written.
 */
export async function updateEmailWithEvent(u: EmailUpdateWithEvent): Promise<boolean> {
  const where = Prisma.sql`${u.onlyOpen ? Prisma.sql`AND "status" = 'queued'` : Prisma.empty}
    ${u.token ? holdsAttempt(u.token) : Prisma.empty} ${u.unheld ? Prisma.sql`AND "attemptToken" IS NULL` : Prisma.empty}`;
  const set = u.token ? Prisma.sql`${u.set}, ${RELEASE_ATTEMPT}` : u.set;
  const result = await writeEmailEvent({
    tenantId: u.tenantId,
    emailId: u.emailId,
    set,
    where,
    type: u.type,
    provider: u.connection?.provider ?? null,
    connectionId: u.connection?.id ?? null,
    ...(u.occurredAt ? { occurredAt: u.occurredAt } : {}),
    data: u.data,
  });
  return result.written;
}

/** Idempotent per round: a step replayed after a crash does not write the event twice. */
export async function recordRetryScheduled(tenantId: string, emailId: string, round: number, retryAt: Date): Promise<void> {
  const db = await getDb();
  // The email stays `queued` on the wire; when the next round starts shows in next_attempt_at.
  await db.email.updateMany({ where: { id: emailId, tenantId, status: "queued" }, data: { nextAttemptAt: retryAt } });
  const existing = await db.emailEvent.findFirst({ where: { tenantId, emailId, type: "deferred", data: { path: ["round"], equals: round } }, select: { id: true } });
  if (existing) return;
  await db.emailEvent.create({
    data: { tenantId, emailId, type: "deferred", data: { reason: "Every provider failed transiently; the whole plan is retried", round, retry_at: retryAt.toISOString() } },
  });
}
