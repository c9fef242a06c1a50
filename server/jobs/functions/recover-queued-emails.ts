/**
 * Every minute: (1) re-emit the event of emails accepted but never attempted for over two minutes, walking
 * forward from where the last sweep stopped; (2) start a recovery run for emails left mid-send by a run
 * that is gone. Both are safe to repeat: the event ids and send-email's idempotency key (`run_key`) mean a
 * run that exists is never started twice.
 */
import { env } from "../../env";
import { unsafeFindEmailsStuckMidSend, unsafeFindStaleQueuedEmails, unsafeSaveSweepPosition } from "../../services/delivery/find-stale-queued-emails";
import { inngest } from "../client";
import { emailQueuedEvent, emailRecoveryEvent } from "../events";

const STALE_AFTER_MS = 2 * 60_000;
const BATCH = 500;

export const recoverQueuedEmails = inngest.createFunction(
  { id: "recover-queued-emails", retries: 1, concurrency: { limit: 1 }, triggers: [{ cron: "* * * * *" }] },
  async ({ step }) => {
    const stale = await step.run("find-stale", () => unsafeFindStaleQueuedEmails(STALE_AFTER_MS, BATCH));
    if (stale.emails.length > 0) await step.sendEvent("re-emit", stale.emails.map((e) => emailQueuedEvent(e.tenantId, e.id, e.scheduledAt)));
    // Saved only after the emit: a failed emit leaves the position where it was, and the next sweep retries.
    const next = stale.next;
    if (next) await step.run("advance", () => unsafeSaveSweepPosition(next));

    // A live run takes a lapsed attempt over within its job lease; past twice that, no run is coming back.
    const stuck = await step.run("find-stuck", () => unsafeFindEmailsStuckMidSend(2 * env.JOB_LEASE_MS + STALE_AFTER_MS, BATCH));
    if (stuck.length > 0) await step.sendEvent("recover", stuck.map((e) => emailRecoveryEvent(e.tenantId, e.id, e.attempts)));
    return { re_emitted: stale.emails.length, recovered: stuck.length };
  },
);
