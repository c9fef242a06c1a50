/**
 * Delivery outcomes through the real durable function: retries with the (fast) schedule and every attempt
 * logged, 410 disabling the endpoint, the 3-day failing rule, timeouts, stopped deliveries of disabled or
 * deleted endpoints, and a replayed step that does not send or log twice.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { getDb } from "@/server/db";
import { env } from "@/server/env";
import { attemptWebhookDelivery } from "@/server/services/webhooks/attempt-webhook-delivery";
import { api, signUp } from "../../helpers/api";
import { eventually, sleep } from "../../helpers/engine";
import { createEndpoint, deliveries, endpointRow, FAST_WEBHOOK_TIMINGS, Receiver, settledDeliveries, startWebhookEngine, waitForReceived } from "./support";

let receiver: Receiver;
let stack: Awaited<ReturnType<typeof startWebhookEngine>>;
beforeAll(async () => {
  receiver = await Receiver.start();
  stack = await startWebhookEngine();
});
afterAll(async () => {
  await stack.stop();
  await receiver.stop();
});
beforeEach(() => {
  receiver.release();
  receiver.reset();
  Object.assign(env, FAST_WEBHOOK_TIMINGS);
});

async function testEvent(token: string, endpointId: string): Promise<any> {
  const res = await api.post(`/api/v1/webhook_endpoints/${endpointId}/test`, undefined, { token });
  expect(res.status).toBe(202);
  return res.body;
}

describe("retries and outcomes", () => {
  it("a receiver that fails three times and then succeeds: four attempts logged, one success", async () => {
    const { apiKey } = await signUp();
    const endpoint = await createEndpoint(apiKey, { url: receiver.url() });
    receiver.script([{ status: 500, body: "boom" }, { status: 503, body: "busy" }, { status: 429, body: "slow down" }]);
    const queued = await testEvent(apiKey, endpoint.id);
    expect(queued).toMatchObject({ status: "pending", attempt_count: 0, attempts: [] });

    const [delivery] = await settledDeliveries(apiKey, endpoint.id, 1);
    expect(receiver.received).toHaveLength(4);
    expect(delivery).toMatchObject({ status: "succeeded", attempt_count: 4, response_code: 200, last_error: null, next_attempt_at: null });
    expect(delivery.completed_at).not.toBeNull();
    expect(delivery.attempts.map((a: any) => [a.attempt, a.status_code, a.error, a.response_snippet])).toEqual([
      [1, 500, "The receiver answered 500", "boom"],
      [2, 503, "The receiver answered 503", "busy"],
      [3, 429, "The receiver answered 429", "slow down"],
      [4, 200, null, "ok"],
    ]);
    for (const a of delivery.attempts) {
      expect(a.duration_ms).toBeGreaterThanOrEqual(0);
      expect(Date.parse(a.at)).not.toBeNaN();
    }
    const shown = await api.get(`/api/v1/webhook_endpoints/${endpoint.id}`, { token: apiKey });
    expect(shown.body.last_success_at).not.toBeNull();
    expect(shown.body.last_failure_at).not.toBeNull();
    expect((await endpointRow(endpoint.id)).failingSince).toBeNull();
    expect(await (await getDb()).webhookDeliveryAttempt.count({ where: { deliveryId: delivery.id } })).toBe(4);
  });

  it("every attempt fails: failed after the last one (schedule + 1 attempts), with the next attempt time shown while waiting", async () => {
    const { apiKey } = await signUp();
    Object.assign(env, { WEBHOOK_RETRY_DELAYS: "100ms,1500ms" });
    const endpoint = await createEndpoint(apiKey, { url: receiver.url() });
    receiver.script([], { status: 500 });
    await testEvent(apiKey, endpoint.id);
    const waiting = await eventually(async () => {
      const [d] = await deliveries(apiKey, endpoint.id);
      return d.attempt_count === 2 ? d : undefined;
    });
    expect(waiting.status).toBe("pending");
    expect(Date.parse(waiting.next_attempt_at)).toBeGreaterThan(Date.now());
    const [delivery] = await settledDeliveries(apiKey, endpoint.id, 1);
    expect(delivery).toMatchObject({ status: "failed", attempt_count: 3, response_code: 500, last_error: "The receiver answered 500", next_attempt_at: null });
    expect(receiver.received).toHaveLength(3);
    const row = await endpointRow(endpoint.id);
    expect(row.active).toBe(true);
    expect(row.failingSince).not.toBeNull();
  });

  it("410 Gone disables the endpoint, fails the delivery at once and stops its other pending deliveries", async () => {
    const { apiKey } = await signUp();
    Object.assign(env, { WEBHOOK_RETRY_DELAYS: "2s,2s" });
    const endpoint = await createEndpoint(apiKey, { url: receiver.url() });
    receiver.script([{ status: 500 }, { status: 410, body: "gone" }]);
    const first = await testEvent(apiKey, endpoint.id);
    await waitForReceived(receiver, 1);
    const second = await testEvent(apiKey, endpoint.id);
    await waitForReceived(receiver, 2);

    const list = await settledDeliveries(apiKey, endpoint.id, 2);
    const byId = new Map(list.map((d) => [d.id, d]));
    expect(byId.get(second.id)).toMatchObject({ status: "failed", attempt_count: 1, response_code: 410, last_error: "The receiver answered 410" });
    expect(byId.get(first.id)).toMatchObject({ status: "failed", attempt_count: 1, last_error: "The endpoint was disabled: The receiver answered 410 Gone" });
    const shown = await api.get(`/api/v1/webhook_endpoints/${endpoint.id}`, { token: apiKey });
    expect(shown.body).toMatchObject({ active: false, disabled_reason: "The receiver answered 410 Gone" });
    // The first delivery's retry (due 2 s after its 500) never goes out.
    await sleep(2500);
    expect(receiver.received).toHaveLength(2);
  });

  it("an endpoint failing continuously for 3 days is disabled with a disabled_reason; a shorter streak is not", async () => {
    const { apiKey } = await signUp();
    Object.assign(env, { WEBHOOK_RETRY_DELAYS: "300ms,300ms" });
    const db = await getDb();
    const young = await createEndpoint(apiKey, { url: receiver.url("/young") });
    const old = await createEndpoint(apiKey, { url: receiver.url("/old") });
    await db.webhookEndpoint.update({ where: { id: young.id }, data: { failingSince: new Date(Date.now() - 2 * 86_400_000) } });
    await db.webhookEndpoint.update({ where: { id: old.id }, data: { failingSince: new Date(Date.now() - 3 * 86_400_000 - 60_000) } });
    receiver.script([], { status: 502 });
    await testEvent(apiKey, young.id);
    await testEvent(apiKey, old.id);
    const [oldDelivery] = await settledDeliveries(apiKey, old.id, 1);
    const [youngDelivery] = await settledDeliveries(apiKey, young.id, 1);

    expect(oldDelivery).toMatchObject({ status: "failed", attempt_count: 1 });
    expect(oldDelivery.last_error).toMatch(/^The endpoint was disabled: Every delivery failed for 3 days \(since \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ\)$/);
    const oldShown = (await api.get(`/api/v1/webhook_endpoints/${old.id}`, { token: apiKey })).body;
    expect(oldShown.active).toBe(false);
    expect(oldShown.disabled_reason).toMatch(/^Every delivery failed for 3 days/);
    expect(receiver.received.filter((r) => r.path === "/old")).toHaveLength(1);

    expect(youngDelivery).toMatchObject({ status: "failed", attempt_count: 3 });
    expect((await api.get(`/api/v1/webhook_endpoints/${young.id}`, { token: apiKey })).body).toMatchObject({ active: true, disabled_reason: null });
    // The streak's start is kept across failures (not moved to the latest one).
    expect(Date.now() - (await endpointRow(young.id)).failingSince!.getTime()).toBeGreaterThan(2 * 86_400_000 - 60_000);

    // Re-activated, it starts over: one success clears the streak.
    await api.patch(`/api/v1/webhook_endpoints/${old.id}`, { active: true }, { token: apiKey });
    receiver.script([]);
    await testEvent(apiKey, old.id);
    await settledDeliveries(apiKey, old.id, 2);
    const row = await endpointRow(old.id);
    expect(row).toMatchObject({ active: true, disabledReason: null, failingSince: null });
  });

  it("no answer within WEBHOOK_TIMEOUT_MS is a failed attempt, and a redirect is a failure that is never followed", async () => {
    const { apiKey } = await signUp();
    Object.assign(env, { WEBHOOK_RETRY_DELAYS: "100ms", WEBHOOK_TIMEOUT_MS: 400 });
    const trap = await Receiver.start();
    try {
      const hanging = await createEndpoint(apiKey, { url: receiver.url("/hang") });
      receiver.script([{ status: 200, hang: true }, { status: 302, headers: { Location: trap.url("/stolen") } }]);
      await testEvent(apiKey, hanging.id);
      const [delivery] = await settledDeliveries(apiKey, hanging.id, 1);
      expect(delivery.status).toBe("failed");
      expect(delivery.attempts.map((a: any) => [a.status_code, a.error])).toEqual([
        [null, "No answer within 400 ms"],
        [302, `Redirect (302 to ${trap.url("/stolen")}) not followed`],
      ]);
      expect(delivery.attempts[0].duration_ms).toBeGreaterThanOrEqual(390);
      expect(trap.received).toHaveLength(0);
    } finally {
      await trap.stop();
    }
  });

  it("an answer whose body trickles past the deadline is that answer: a 200 succeeds once, a 410 disables; the part read is the snippet", async () => {
    const { apiKey } = await signUp();
    Object.assign(env, { WEBHOOK_RETRY_DELAYS: "100ms", WEBHOOK_TIMEOUT_MS: 400 });
    const accepted = await createEndpoint(apiKey, { url: receiver.url("/slow-body") });
    const gone = await createEndpoint(apiKey, { url: receiver.url("/slow-gone") });
    receiver.script([
      { status: 200, body: "accepted, still writing", holdBody: true },
      { status: 410, body: "gone", holdBody: true },
    ]);
    await testEvent(apiKey, accepted.id);
    const [delivered] = await settledDeliveries(apiKey, accepted.id, 1);
    expect(delivered).toMatchObject({ status: "succeeded", attempt_count: 1, response_code: 200, last_error: null });
    expect(delivered.attempts.map((a: any) => [a.status_code, a.error, a.response_snippet])).toEqual([[200, null, "accepted, still writing"]]);
    expect(delivered.attempts[0].duration_ms).toBeGreaterThanOrEqual(390);

    await testEvent(apiKey, gone.id);
    const [refused] = await settledDeliveries(apiKey, gone.id, 1);
    expect(refused).toMatchObject({ status: "failed", attempt_count: 1, response_code: 410, last_error: "The receiver answered 410" });
    expect(refused.attempts[0].response_snippet).toBe("gone");
    expect((await api.get(`/api/v1/webhook_endpoints/${gone.id}`, { token: apiKey })).body).toMatchObject({ active: false, disabled_reason: "The receiver answered 410 Gone" });
    // Neither was sent again.
    await sleep(300);
    expect(receiver.received.map((r) => r.path)).toEqual(["/slow-body", "/slow-gone"]);
  });

  it("a refused connection is a failed attempt with the error", async () => {
    const { apiKey } = await signUp();
    Object.assign(env, { WEBHOOK_RETRY_DELAYS: "" });
    const closed = await Receiver.start();
    const url = closed.url();
    await closed.stop();
    const endpoint = await createEndpoint(apiKey, { url });
    await testEvent(apiKey, endpoint.id);
    const [delivery] = await settledDeliveries(apiKey, endpoint.id, 1);
    expect(delivery).toMatchObject({ status: "failed", attempt_count: 1, response_code: null });
    expect(delivery.last_error).toMatch(/ECONNREFUSED/);
  });

  it("response snippets keep the first 1,000 characters, storable (a NUL byte is replaced)", async () => {
    const { apiKey } = await signUp();
    const endpoint = await createEndpoint(apiKey, { url: receiver.url() });
    receiver.script([{ status: 500, body: `\u0000${"é".repeat(3000)}` }]);
    await testEvent(apiKey, endpoint.id);
    const [delivery] = await settledDeliveries(apiKey, endpoint.id, 1);
    const snippet: string = delivery.attempts[0].response_snippet;
    expect(Array.from(snippet)).toHaveLength(1000);
    expect(snippet.startsWith("\uFFFDéé")).toBe(true);
    expect(delivery.status).toBe("succeeded");
  });

  it("deactivating or deleting an endpoint stops its delivery waiting for a retry", async () => {
    const { apiKey } = await signUp();
    Object.assign(env, { WEBHOOK_RETRY_DELAYS: "1500ms,1500ms" });
    const paused = await createEndpoint(apiKey, { url: receiver.url("/paused") });
    const deleted = await createEndpoint(apiKey, { url: receiver.url("/deleted") });
    receiver.script([], { status: 500 });
    await testEvent(apiKey, paused.id);
    const gone = await testEvent(apiKey, deleted.id);
    await waitForReceived(receiver, 2);
    await eventually(async () => (await deliveries(apiKey, paused.id))[0]?.attempt_count === 1);
    await api.patch(`/api/v1/webhook_endpoints/${paused.id}`, { active: false }, { token: apiKey });
    expect((await api.delete(`/api/v1/webhook_endpoints/${deleted.id}`, { token: apiKey })).status).toBe(204);

    const [stopped] = await deliveries(apiKey, paused.id);
    expect(stopped).toMatchObject({ status: "failed", last_error: "The endpoint was deactivated", next_attempt_at: null });
    // Both runs wake after their backoff, find nothing to do, and end without another request.
    const runs = await eventually(async () => {
      const all = await stack.engine.listRuns({ eventId: `webhook-delivery-${gone.id}` });
      return all.length === 1 && all[0]!.status === "completed" ? all : undefined;
    }, 10_000);
    expect(runs[0]!.output).toMatchObject({ done: true, status: "gone" });
    await sleep(500);
    expect(receiver.received).toHaveLength(2);
    expect(await (await getDb()).webhookDelivery.count({ where: { id: gone.id } })).toBe(0);
  });

  it("a replayed attempt step returns the logged result: no second request, no second log row", async () => {
    const { apiKey, tenantId } = await signUp();
    const endpoint = await createEndpoint(apiKey, { url: receiver.url() });
    receiver.script([], { status: 503 });
    Object.assign(env, { WEBHOOK_RETRY_DELAYS: "1h" });
    const queued = await testEvent(apiKey, endpoint.id);
    await eventually(async () => (await deliveries(apiKey, endpoint.id))[0]?.attempt_count === 1);
    // The run now sleeps an hour; replay its first attempt step as the engine would after a crash.
    const again = await attemptWebhookDelivery(tenantId, queued.id, 1, 3600_000);
    expect(again).toEqual({ done: false, statusCode: 503, error: "The receiver answered 503" });
    expect(receiver.received).toHaveLength(1);
    expect(await (await getDb()).webhookDeliveryAttempt.count({ where: { deliveryId: queued.id } })).toBe(1);
    // Another tenant's id reaches nothing.
    const other = await signUp();
    expect(await attemptWebhookDelivery(other.tenantId, queued.id, 2, null)).toEqual({ done: true, status: "gone" });
    expect(receiver.received).toHaveLength(1);
  });
  it("two holders of one run making the same attempt: one is logged, and both go on from what was stored", async () => {
    const { apiKey, tenantId } = await signUp();
    const endpoint = await createEndpoint(apiKey, { url: receiver.url() });
    // A row as the event recorder writes it, with no run requested: the two calls below are the only holders.
    const db = await getDb();
    const delivery = await db.webhookDelivery.create({
      data: { tenantId, endpointId: endpoint.id, eventType: "sent", emailId: null, messageId: "msg_two-holders", payload: { event: "sent", sequence: 1, test: false } },
    });
    receiver.script([{ status: 500, delayMs: 50 }, { status: 200, delayMs: 150 }]);
    const [a, b] = await Promise.all([attemptWebhookDelivery(tenantId, delivery.id, 1, 3600_000), attemptWebhookDelivery(tenantId, delivery.id, 1, 3600_000)]);
    expect(receiver.received).toHaveLength(2);
    expect(a).toEqual(b);
    expect(a).toEqual({ done: false, statusCode: 500, error: "The receiver answered 500" });
    const stored = await db.webhookDelivery.findUniqueOrThrow({ where: { id: delivery.id }, include: { attemptLog: true } });
    expect(stored).toMatchObject({ status: "pending", attempts: 1, responseCode: 500 });
    expect(stored.attemptLog).toHaveLength(1);
  });
});
