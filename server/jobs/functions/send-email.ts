/**
 * send-email: the heart of the product. A scheduled email's wait, then suppression check and routing plan, then one durable step per
 * provider attempt (the plan rides in the first attempt's step): transient → next provider, permanent → failed at once (never retried elsewhere),
 * every provider transient → the whole plan again after a backoff (SEND_RETRY_DELAYS), then failed.
 * A crash between steps resumes from the memoized ones; onFailure guarantees a final state. Each attempt
 * is fenced on the email row (attempt-claim.ts), so a replayed step never calls a provider while an
 * earlier holder may still be inside the call.
 */
import { RetryAfterError, type GetStepTools } from "inngest";
import { env } from "../../env";
import { parseDurationList } from "../../lib/duration";
import { AttemptInFlightError, attemptLeaseMs } from "../../services/delivery/attempt-claim";
import { attemptDelivery } from "../../services/delivery/attempt-delivery";
import { markEmailFailed, recordRetryScheduled } from "../../services/delivery/email-state";
import { startDeliveryRound } from "../../services/delivery/prepare-delivery";
import type { PlanEntry } from "../../services/delivery/resolve-plan";
import type { ProviderName } from "../../db";
import { recordAcceptedSend, type AcceptedSend } from "../../services/delivery/record-accepted-send";
import { simulateSandboxEvents } from "../../services/events/simulate-sandbox-events";
import { inngest } from "../client";
import { EMAIL_QUEUED, type EmailQueuedData } from "../events";

/** Another attempt may still be in flight: retry this step once its lease has lapsed, not at once. */
async function fenced<T>(attempt: () => Promise<T>): Promise<T> {
  try {
    return await attempt();
  } catch (error) {
    if (error instanceof AttemptInFlightError) throw new RetryAfterError(error.message, error.retryAfterMs);
    throw error;
  }
}

type SendEmailStep = GetStepTools<typeof inngest>;

function refusingConnection(entry: PlanEntry): { id: string; provider: ProviderName } | null {
  return entry.provider === "sandbox" ? null : { id: entry.connectionId, provider: entry.provider };
}

/** How long a send accepted during a database outage keeps trying to be recorded: rounds of a step's retries and a pause. */
const RECORD_SENT_ROUNDS = 60;

/**
 * Records an accepted send whose write failed inside the attempt. Each round is a step with its own
 * retries; a round that exhausts them is followed by a pause and a new round, so the run never fails (and
 * onFailure never marks failed an email that went out) over a long database outage.
 */
async function recordOwedSend(step: SendEmailStep, round: number, tenantId: string, emailId: string, accepted: AcceptedSend): Promise<void> {
  for (let k = 0; k < RECORD_SENT_ROUNDS; k++) {
    try {
      await step.run(`record-sent-${round}-${k}`, () => recordAcceptedSend(tenantId, emailId, accepted));
      return;
    } catch {
      await step.sleep(`record-sent-pause-${round}-${k}`, attemptLeaseMs());
    }
  }
  throw new Error(`The provider accepted the email but the database refused to record it ${RECORD_SENT_ROUNDS} times over`);
}

export const sendEmail = inngest.createFunction(
  {
    id: "send-email",
    retries: 5,
    concurrency: [{ key: "event.data.tenant_id", limit: 50 }],
    // One run per email; the recovery sweep's own runs for an email stuck mid-send carry another key.
    idempotency: "event.data.run_key",
    triggers: [{ event: EMAIL_QUEUED }],
    onFailure: async ({ event, error, step }) => {
      const data = (event.data.event as { data: EmailQueuedData }).data;
      await step.run("mark-failed", () => markEmailFailed(data.tenant_id, data.email_id, `Delivery stopped by an internal error: ${error.message}`, { internal: true }));
    },
  },
  async ({ event, step }) => {
    const { tenant_id: tenantId, email_id: emailId, scheduled_at: scheduledAt } = event.data as EmailQueuedData;
    // A scheduled email waits durably (a sleep the engine stores, surviving restarts). Always taken when the
    // event names a time, even one already past, so that every replay of the run sees the same steps. A cancel
    // meanwhile is seen by the first round: its read stops at a final status, and its claim updates only a
    // row still queued, under a row lock, so a cancel racing the wake-up either lands first or answers 409.
    if (scheduledAt) await step.sleepUntil("scheduled", scheduledAt);
    const delays = parseDurationList(env.SEND_RETRY_DELAYS);
    let priorAmbiguous = false;

    for (let round = 0; round <= delays.length; round++) {
      // The plan and the first attempt share a step: the common case (the first provider takes it) costs one.
      const start = await step.run(`round-${round}`, () => fenced(() => startDeliveryRound(tenantId, emailId, { round, priorAmbiguous })));
      const prep = start.preparation;
      if (prep.action === "stop") return { status: prep.status };

      for (const [index, entry] of prep.entries.entries()) {
        const outcome =
          index === 0 && start.first
            ? start.first
            : await step.run(`attempt-${round}-${index}-${entry.connectionId}`, () =>
                fenced(() => attemptDelivery(tenantId, emailId, entry, { round, priorAmbiguous, test: prep.test })),
              );
        switch (outcome.result) {
          case "sent":
            // The provider accepted but the database was away: record it durably, never call the provider again.
            if (outcome.unrecorded) await recordOwedSend(step, round, tenantId, emailId, outcome.unrecorded);
            // Test mode plays the provider's part for reserved sandbox addresses (delivered@, bounced@, …).
            if (prep.sandboxScenario) await step.run("sandbox-events", () => simulateSandboxEvents(tenantId, emailId));
            return { status: "sent", provider: outcome.provider, provider_message_id: outcome.providerMessageId };
          case "stopped":
            return { status: outcome.status };
          case "permanent":
            await step.run(`fail-${round}`, () =>
              markEmailFailed(tenantId, emailId, `${outcome.provider}: ${outcome.reason}`, { provider: outcome.provider, permanent: true }, refusingConnection(entry)),
            );
            return { status: "failed", reason: outcome.reason };
          case "transient":
            if (outcome.accepted === "unknown") priorAmbiguous = true;
            break;
          case "skipped":
            break;
        }
      }

      const delay = delays[round];
      if (delay === undefined) break;
      await step.run(`defer-${round}`, () => recordRetryScheduled(tenantId, emailId, round + 1, new Date(Date.now() + delay)));
      await step.sleep(`backoff-${round}`, delay);
    }

    await step.run("give-up", () => markEmailFailed(tenantId, emailId, "Every provider failed transiently, on every retry"));
    return { status: "failed" };
  },
);
