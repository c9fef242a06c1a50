/**
 * Every minute: the outbox sweep. Deliveries still pending whose run never started 30 s after they were
 * written (their request was lost, the engine was away, or they wait behind a concurrency limit) are
 * requested again, each once, walking forward from where the last sweep stopped; the event id and the
 * deliver function's idempotency key make a repeat start nothing new. Up to 20 batches of 500 per
 * minute while batches come back full, so a backlog of waiting rows is walked past, not re-read.
 */
import { unsafeFindUndispatchedDeliveries, unsafeSaveOutboxSweepPosition } from "../../services/webhooks/find-undispatched-deliveries";
import { inngest } from "../client";
import { webhookDeliveryEvent } from "../events";

const STALE_AFTER_MS = 30_000;
const BATCH = 500;
const MAX_BATCHES = 20;

export const dispatchStaleWebhooks = inngest.createFunction(
  { id: "webhooks-dispatch-stale", retries: 1, concurrency: { limit: 1 }, triggers: [{ cron: "* * * * *" }] },
  async ({ step }) => {
    let reRequested = 0;
    for (let batch = 0; batch < MAX_BATCHES; batch++) {
      const stale = await step.run(`find-undispatched-${batch}`, () => unsafeFindUndispatchedDeliveries(STALE_AFTER_MS, BATCH));
      if (stale.deliveries.length > 0) await step.sendEvent(`re-request-${batch}`, stale.deliveries.map((d) => webhookDeliveryEvent(d.tenantId, d.endpointId, d.deliveryId)));
      // Saved only after the request: a failed send leaves the position where it was, and the next sweep retries.
      const next = stale.next;
      if (next) await step.run(`advance-${batch}`, () => unsafeSaveOutboxSweepPosition(next));
      reRequested += stale.deliveries.length;
      if (stale.deliveries.length < BATCH) break;
    }
    return { re_requested: reRequested };
  },
);
