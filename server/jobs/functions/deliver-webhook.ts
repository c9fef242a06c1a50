/**
 * webhooks-deliver: one durable run per delivery row (the outbox). Its first step notes the start and
 * keeps one email's events in order at the endpoint; then explicit attempts, each a step, with a durable
 * sleep between them (WEBHOOK_RETRY_DELAYS: 5s, 30s, 2m, 10m, 30m, 1h, 2h, 4h, 8h, 8h — 11 attempts over
 * about a day). A crash resumes from the last stored step; a step replayed after its attempt was logged
 * does not send again.
 *
 * Concurrency: on Inngest, at most 10 runs per tenant and 5 per endpoint in flight. The local engine
 * enforces one key per function (server/jobs/engine/registry.ts), so there it is the tenant key alone:
 * one slow receiver then holds at most its own tenant's 10 slots (of the worker's 32), never another
 * tenant's — the endpoint key alone would let a tenant with many endpoints take every slot of the worker;
 * the price is that a tenant's slow endpoint can delay that tenant's other endpoints. A run holds a slot
 * only while a step runs (an attempt: at most WEBHOOK_TIMEOUT_MS), not while it sleeps before a retry.
 *
 * A run that fails for a reason of ours (a step throwing past its retries) ends its delivery as failed
 * with a generic reason the tenant sees; the error itself goes to the log only.
 */
import { env, inngestCloud } from "../../env";
import { parseDurationList } from "../../lib/duration";
import { logger } from "../../lib/logger";
import { attemptWebhookDelivery } from "../../services/webhooks/attempt-webhook-delivery";
import { startWebhookDelivery } from "../../services/webhooks/start-webhook-delivery";
import { failPendingDelivery } from "../../services/webhooks/stop-pending-deliveries";
import { inngest } from "../client";
import { WEBHOOK_DELIVERY_REQUESTED, type WebhookDeliveryRequestedData } from "../events";

/** How long a delivery waits, at most, for an earlier event of the same email to be attempted first. */
const ORDER_WAIT_MS = 250;
const MAX_ORDER_WAITS = 40;
const TENANT_CONCURRENCY = { key: "event.data.tenant_id", limit: 10 };
const ENDPOINT_CONCURRENCY = { key: "event.data.endpoint_id", limit: 5 };
/** What the tenant reads in `last_error` when the run itself failed: never our error's text. */
export const INTERNAL_ERROR_REASON = "Delivery stopped by an internal error";

export const deliverWebhook = inngest.createFunction(
  {
    id: "webhooks-deliver",
    retries: 5,
    idempotency: "event.data.delivery_id",
    concurrency: inngestCloud ? [TENANT_CONCURRENCY, ENDPOINT_CONCURRENCY] : [TENANT_CONCURRENCY],
    triggers: [{ event: WEBHOOK_DELIVERY_REQUESTED }],
    onFailure: async ({ event, error, step }) => {
      const data = (event.data.event as { data: WebhookDeliveryRequestedData }).data;
      await step.run("mark-failed", async () => {
        logger.error("webhook delivery run failed", { tenantId: data.tenant_id, endpointId: data.endpoint_id, deliveryId: data.delivery_id, error });
        await failPendingDelivery(data.tenant_id, data.delivery_id, INTERNAL_ERROR_REASON);
      });
    },
  },
  async ({ event, step }) => {
    const { tenant_id: tenantId, delivery_id: deliveryId } = event.data as WebhookDeliveryRequestedData;
    const delays = parseDurationList(env.WEBHOOK_RETRY_DELAYS);

    for (let wait = 0; ; wait++) {
      const verdict = await step.run(`start-${wait}`, () => startWebhookDelivery(tenantId, deliveryId));
      if (verdict === "stop") return { status: "stopped" };
      if (verdict === "go" || wait >= MAX_ORDER_WAITS) break;
      await step.sleep(`order-wait-${wait}`, ORDER_WAIT_MS);
    }

    for (let attempt = 1; attempt <= delays.length + 1; attempt++) {
      const retryInMs = delays[attempt - 1] ?? null;
      const outcome = await step.run(`attempt-${attempt}`, () => attemptWebhookDelivery(tenantId, deliveryId, attempt, retryInMs));
      if (outcome.done || retryInMs === null) return outcome;
      await step.sleep(`backoff-${attempt}`, retryInMs);
    }
    return { status: "failed" };
  },
);
