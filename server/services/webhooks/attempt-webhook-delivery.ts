/**
 * One attempt of a delivery, as one durable step: sign, POST through the outbound guard, log the attempt
 * and update the delivery and its endpoint in one statement. 2xx succeeds; 410 Gone disables the endpoint
 * and fails the delivery; anything else (no answer, a refused destination, a redirect, any other status)
 * retries until the last attempt. A step replayed after its attempt was logged (the worker died before
 * the engine stored the result) returns the logged result instead of sending again.
 */
import { getDb } from "../../db";
import { env } from "../../env";
import { currentOutboundGuard } from "../provider-connections/check-outbound";
import { payloadBody } from "./payload";
import { postWebhook } from "./post-webhook";
import { recordAttempt, type AttemptVerdict } from "./record-attempt";
import { webhookHeaders } from "./sign-payload";
import { failPendingDelivery, stopPendingDeliveries } from "./stop-pending-deliveries";
import { signingSecrets } from "./webhook-secret";

export type AttemptOutcome =
  | { done: true; status: "succeeded" | "failed" | "gone"; statusCode?: number | null; error?: string | null }
  | { done: false; statusCode: number | null; error: string | null };

/** The endpoint, and with it the delivery, was deleted. */
const GONE: AttemptOutcome = { done: true, status: "gone" };

/** `retryInMs`: the pause before the next attempt, or null when this is the last one. */
export async function attemptWebhookDelivery(tenantId: string, deliveryId: string, attempt: number, retryInMs: number | null): Promise<AttemptOutcome> {
  const { delivery, stored } = await storedOutcome(tenantId, deliveryId, attempt);
  if (stored || !delivery) return stored ?? GONE;
  const { endpoint } = delivery;
  if (!endpoint.active) {
    const reason = `The endpoint is disabled${endpoint.disabledReason ? `: ${endpoint.disabledReason}` : ""}`;
    await failPendingDelivery(tenantId, delivery.id, reason);
    return { done: true, status: "failed", error: reason };
  }

  const now = new Date();
  const body = payloadBody(delivery.payload);
  const headers = webhookHeaders({ messageId: delivery.messageId, timestamp: Math.floor(now.getTime() / 1000), body, secrets: signingSecrets(endpoint, now) });
  const response = await postWebhook(endpoint.url, headers, body, { guard: currentOutboundGuard(), timeoutMs: env.WEBHOOK_TIMEOUT_MS });
  const verdict: AttemptVerdict = response.error === null ? "succeeded" : response.statusCode === 410 ? "gone" : retryInMs === null ? "failed" : "retry";

  const recorded = await recordAttempt({ tenantId, deliveryId: delivery.id, endpointId: endpoint.id, attempt, response, verdict, retryInMs });
  if (recorded.disabledReason !== null) await stopPendingDeliveries(tenantId, endpoint.id, `The endpoint was disabled: ${recorded.disabledReason}`);
  // Not recorded: the delivery ended meanwhile (deleted, stopped) or another holder of this run logged the
  // attempt first. What is stored is what the run goes on from.
  if (!recorded.recorded) return (await storedOutcome(tenantId, delivery.id, attempt)).stored ?? GONE;
  if (verdict === "retry") return { done: false, statusCode: response.statusCode, error: response.error };
  return { done: true, status: verdict === "succeeded" ? "succeeded" : "failed", statusCode: response.statusCode, error: response.error };
}

/** The delivery with its endpoint, and the outcome already stored for this attempt, if any. */
async function storedOutcome(tenantId: string, deliveryId: string, attempt: number) {
  const db = await getDb();
  const delivery = await db.webhookDelivery.findFirst({
    where: { id: deliveryId, tenantId },
    include: { endpoint: true, attemptLog: { where: { attempt } } },
  });
  const logged = delivery?.attemptLog[0];
  const stored: AttemptOutcome | undefined = !delivery
    ? GONE
    : delivery.status !== "pending"
      ? { done: true, status: delivery.status, statusCode: delivery.responseCode, error: delivery.lastError }
      : logged
        ? { done: false, statusCode: logged.statusCode, error: logged.error }
        : undefined;
  return { delivery, stored };
}
