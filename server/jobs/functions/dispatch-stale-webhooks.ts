/**
 * Every minute: the outbox sweep. Deliveries still pending whose run never started 30 s after they were
 * written (their request was lost, or the engine was away) are requested again; the event id and the
 * deliver function's idempotency key make a repeat start nothing new.
 */
import { unsafeFindUndispatchedDeliveries } from "../../services/webhooks/find-undispatched-deliveries";
import { inngest } from "../client";
import { webhookDeliveryEvent } from "../events";

const STALE_AFTER_MS = 30_000;
const BATCH = 500;

export const dispatchStaleWebhooks = inngest.createFunction(
  { id: "webhooks-dispatch-stale", retries: 1, concurrency: { limit: 1 }, triggers: [{ cron: "* * * * *" }] },
  async ({ step }) => {
    const stale = await step.run("find-undispatched", () => unsafeFindUndispatchedDeliveries(STALE_AFTER_MS, BATCH));
    if (stale.length > 0) await step.sendEvent("re-request", stale.map((d) => webhookDeliveryEvent(d.tenantId, d.endpointId, d.deliveryId)));
    return { re_requested: stale.length };
  },
);
