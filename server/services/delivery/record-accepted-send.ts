/**
 * Recording a send the provider already accepted. This write must never lead to a second provider call:
 * it is retried in place, and if the database stays away the caller hands the same record to a later
 * durable step (which retries it without calling the provider). It is fenced by the attempt's token; when
 * another holder took the attempt over meanwhile, this acceptance is still put on the timeline and the
 * email flagged as a possible duplicate.
 */
import { Prisma, type ProviderName } from "../../db";
import { writeEmailEvent } from "../events/email-event-write";
import { updateEmailWithEvent } from "./email-state";

export interface AcceptedSend {
  token: string;
  connectionId: string | null;
  provider: ProviderName | null;
  providerMessageId: string;
  possibleDuplicate: boolean;
  /** The `sent` event's data (plain values: it travels through a step result). */
  data: Record<string, string | number | boolean>;
}

const WRITE_RETRY_DELAYS_MS = [50, 150, 400, 1000];

/**
 * Runs a database write, retrying it (50 ms growing to 1 s apart) until it lands or `deadline` (a
 * performance.now() time) has passed, then gives up with its error. Without a deadline, about 1.6 s.
 */
export async function withWriteRetries<T>(write: () => Promise<T>, deadline?: number): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await write();
    } catch (error) {
      const delay = WRITE_RETRY_DELAYS_MS[Math.min(attempt, WRITE_RETRY_DELAYS_MS.length - 1)]!;
      const outOfTime = deadline === undefined ? attempt >= WRITE_RETRY_DELAYS_MS.length : performance.now() + delay > deadline;
      if (outOfTime) throw error;
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
}

export async function recordAcceptedSend(tenantId: string, emailId: string, accepted: AcceptedSend): Promise<void> {
  const connection = accepted.connectionId && accepted.provider ? { id: accepted.connectionId, provider: accepted.provider } : null;
  const sentAt = new Date();
  // A provider event can beat this write (a delivered/bounced webhook matched by our id): never step back from it.
  const set = Prisma.sql`"status" = CASE WHEN "status" IN ('delivered', 'bounced') THEN "status" ELSE 'sent'::"EmailStatus" END, "sentAt" = ${sentAt}, "lastError" = CASE WHEN "status" = 'bounced' THEN "lastError" END, "nextAttemptAt" = NULL, "provider" = ${accepted.provider}::"ProviderName",
    "connectionId" = ${accepted.connectionId}::uuid, "providerMessageId" = ${accepted.providerMessageId},
    "possibleDuplicate" = "possibleDuplicate" OR ${accepted.possibleDuplicate}`;
  if (await updateEmailWithEvent({ tenantId, emailId, connection, token: accepted.token, set, type: "sent", data: accepted.data, occurredAt: sentAt })) return;
  await recordSupersededAcceptance(tenantId, emailId, accepted);
}

/**
 * The attempt lost its token: its lease lapsed and another holder took over. The message went out all the
 * same, so the email says so: an email that ended `failed` (the other holder's attempt was refused) or is
 * still queued without a provider message becomes `sent` with this acceptance; one already sent keeps its
 * record. Either way it is flagged `possible_duplicate` and the acceptance is on the timeline, once per
 * token — and not at all when this very acceptance is already recorded (a write that committed but whose
 * answer was lost, then retried).
 */
async function recordSupersededAcceptance(tenantId: string, emailId: string, accepted: AcceptedSend): Promise<void> {
  const now = new Date();
  const reopen = Prisma.sql`"status" IN ('queued', 'failed') AND "providerMessageId" IS NULL`;
  await writeEmailEvent({
    tenantId,
    emailId,
    set: Prisma.sql`"possibleDuplicate" = true,
      "status" = CASE WHEN ${reopen} THEN 'sent'::"EmailStatus" ELSE "status" END,
      "sentAt" = CASE WHEN ${reopen} THEN ${now} ELSE "sentAt" END,
      "failedAt" = CASE WHEN "status" = 'failed' AND "providerMessageId" IS NULL THEN NULL ELSE "failedAt" END,
      "provider" = coalesce("provider", ${accepted.provider}::"ProviderName"),
      "connectionId" = coalesce("connectionId", ${accepted.connectionId}::uuid),
      "providerMessageId" = coalesce("providerMessageId", ${accepted.providerMessageId})`,
    where: Prisma.sql`AND "providerMessageId" IS DISTINCT FROM ${accepted.providerMessageId}
      AND NOT EXISTS (SELECT 1 FROM "EmailEvent" WHERE "emailId" = ${emailId}::uuid AND "type" = 'sent' AND "data"->>'attempt' = ${accepted.token})`,
    type: "sent",
    provider: accepted.provider,
    connectionId: accepted.connectionId,
    occurredAt: now,
    data: { ...accepted.data, superseded: true, possible_duplicate: true, attempt: accepted.token },
  });
}
