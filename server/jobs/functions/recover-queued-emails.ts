/**
 * Every minute: re-emit the event of emails left `queued` for over two minutes. Safe to repeat, because the
 * event id and send-email's idempotency key are the email id: a run that exists is never started twice.
 */
import { unsafeFindStaleQueuedEmails } from "../../services/delivery/find-stale-queued-emails";
import { inngest } from "../client";
import { emailQueuedEvent } from "../events";

const STALE_AFTER_MS = 2 * 60_000;
const BATCH = 500;

export const recoverQueuedEmails = inngest.createFunction(
  { id: "recover-queued-emails", retries: 1, concurrency: { limit: 1 }, triggers: [{ cron: "* * * * *" }] },
  async ({ step }) => {
    const stale = await step.run("find-stale", () => unsafeFindStaleQueuedEmails(STALE_AFTER_MS, BATCH));
    if (stale.length > 0) await step.sendEvent("re-emit", stale.map((e) => emailQueuedEvent(e.tenantId, e.id)));
    return { re_emitted: stale.length };
  },
);
