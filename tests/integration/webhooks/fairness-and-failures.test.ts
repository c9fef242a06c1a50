/**
 * What one tenant's deliveries may take from another's, and what a failed run tells the tenant: at most
 * 10 of a tenant's deliveries in flight at once, whatever its number of endpoints; the outbox sweep walks
 * past a backlog of one tenant's deliveries waiting behind its concurrency limit and re-requests another
 * tenant's lost dispatch; a run that fails for a reason of ours shows a generic reason, the detail in the
 * log only.
 */
import { InngestTestEngine } from "@inngest/test";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { getDb } from "@/server/db";
import { env } from "@/server/env";
import { dispatchStaleWebhooks } from "@/server/jobs/functions/dispatch-stale-webhooks";
import { uuidv7 } from "@/server/lib/ids";
import { setLogSink } from "@/server/lib/logger";
import { api, signUp } from "../../helpers/api";
import { eventually, sleep } from "../../helpers/engine";
import { createEndpoint, FAST_WEBHOOK_TIMINGS, Receiver, settledDeliveries, startWebhookEngine, waitForReceived } from "./support";

let receiver: Receiver;
let holding: Receiver;
let stack: Awaited<ReturnType<typeof startWebhookEngine>>;
beforeAll(async () => {
  receiver = await Receiver.start();
  holding = await Receiver.start();
  // A step that throws is retried after 20 ms instead of 1 s doubling: a run fails in well under a second.
  stack = await startWebhookEngine({}, { backoff: () => 20 });
});
afterAll(async () => {
  // Stop claiming first, then let the held attempts end (closing their connections) so the stop completes.
  const stopping = stack.stop();
  await holding.stop();
  await stopping;
  await receiver.stop();
});
beforeEach(() => {
  holding.release();
  holding.reset();
  receiver.reset();
  Object.assign(env, FAST_WEBHOOK_TIMINGS);
});

/** Every request to `holding` is held until `release()`, and attempts wait that long. */
function holdEveryRequest(): void {
  Object.assign(env, { WEBHOOK_TIMEOUT_MS: 30_000 });
  holding.script([], { status: 200, hang: true });
}

async function testEvent(token: string, endpointId: string): Promise<{ id: string }> {
  const res = await api.post(`/api/v1/webhook_endpoints/${endpointId}/test`, undefined, { token });
  expect(res.status).toBe(202);
  return res.body;
}

describe("one tenant's deliveries and everyone else's", () => {
  it("at most 10 deliveries of one tenant are in flight, across its endpoints; another tenant's goes through meanwhile", async () => {
    holdEveryRequest();
    const busy = await signUp("Busy");
    const other = await signUp("Other");
    const endpoints = [];
    for (const path of ["/one", "/two", "/three"]) endpoints.push(await createEndpoint(busy.apiKey, { url: holding.url(path) }));
    // 5 per endpoint: each endpoint's own limit allows all 15 at once; the tenant's allows 10.
    for (const endpoint of endpoints) for (let i = 0; i < 5; i++) await testEvent(busy.apiKey, endpoint.id);
    await eventually(() => holding.received.length >= 10);
    const elsewhere = await createEndpoint(other.apiKey, { url: receiver.url("/other") });
    await testEvent(other.apiKey, elsewhere.id);
    const [otherDelivery] = await settledDeliveries(other.apiKey, elsewhere.id, 1);
    expect(otherDelivery.status).toBe("succeeded");
    await sleep(500);
    expect(holding.received).toHaveLength(10);
    expect(holding.holding).toBe(10);

    // Answered, the held ones make room for the other five.
    holding.release();
    await eventually(() => holding.received.length === 15 && holding.holding === 5);
    holding.release();
    for (const endpoint of endpoints) {
      const list = await settledDeliveries(busy.apiKey, endpoint.id, 5);
      expect(list.map((d) => d.status)).toEqual(Array(5).fill("succeeded"));
    }
  });

  it("a run that fails for an internal reason ends its delivery with a generic last_error; the detail goes to the log", async () => {
    const lines: string[] = [];
    const restore = setLogSink((line) => lines.push(line), "error");
    try {
      const { apiKey } = await signUp();
      const endpoint = await createEndpoint(apiKey, { url: receiver.url("/broken") });
      // A secret that cannot be opened: every attempt step throws, past the function's retries.
      await (await getDb()).webhookEndpoint.update({ where: { id: endpoint.id }, data: { secretEncrypted: "v999.aaaa.bbbb.cccc" } });
      const queued = await testEvent(apiKey, endpoint.id);
      const [delivery] = await settledDeliveries(apiKey, endpoint.id, 1);
      expect(delivery).toMatchObject({ id: queued.id, status: "failed", last_error: "Delivery stopped by an internal error" });
      const listed = await api.get(`/api/v1/webhook_endpoints/${endpoint.id}/deliveries`, { token: apiKey });
      expect(listed.text).not.toMatch(/v999|decrypt|key version/);
      const logged = lines.map((l) => JSON.parse(l)).find((l) => l.msg === "webhook delivery run failed");
      expect(logged).toMatchObject({ deliveryId: queued.id, endpointId: endpoint.id });
      expect(JSON.stringify(logged.error)).toContain("unknown key version v999");
      expect(receiver.received).toHaveLength(0);
    } finally {
      restore();
    }
  });
});

describe("the outbox sweep across tenants", () => {
  it("walks past 600 deliveries of one tenant waiting behind its limit and re-requests another tenant's lost dispatch", async () => {
    holdEveryRequest();
    const a = await signUp("Backlog");
    const b = await signUp("Lost");
    const toA = await createEndpoint(a.apiKey, { url: holding.url("/backlog") });
    const toB = await createEndpoint(b.apiKey, { url: receiver.url("/lost") });
    const db = await getDb();
    const payload = { event: "sent", email_id: null, recipient: "a@example.com", provider: "sendgrid", timestamp: new Date().toISOString(), metadata: {}, sequence: 1, test: false };
    // A's rows are older than B's one: the oldest-first batch of 500 holds only A's.
    const start = Date.now() - 10 * 60_000;
    await db.webhookDelivery.createMany({
      data: Array.from({ length: 600 }, (_, i) => ({ tenantId: a.tenantId, endpointId: toA.id, eventType: "sent", messageId: `msg_${uuidv7()}`, payload, createdAt: new Date(start + i) })),
    });
    const lost = await db.webhookDelivery.create({
      data: { tenantId: b.tenantId, endpointId: toB.id, eventType: "sent", messageId: `msg_${uuidv7()}`, payload, createdAt: new Date(Date.now() - 5 * 60_000) },
    });

    // Two sweeps, as two minutes' ticks: A's requests start at most 10 runs (the rest wait, still undispatched).
    for (let sweep = 0; sweep < 2 && receiver.received.length === 0; sweep++) {
      const { error } = await new InngestTestEngine({ function: dispatchStaleWebhooks, events: [{ name: "inngest/scheduled.timer", data: { cron: "* * * * *" } }] }).execute();
      expect(error).toBeUndefined();
      await eventually(() => holding.received.length >= 10 || receiver.received.length > 0, 15_000).catch(() => undefined);
    }
    const [received] = await waitForReceived(receiver, 1);
    expect(received!.headers["webhook-id"]).toBe(lost.messageId);
    await eventually(async () => (await db.webhookDelivery.findUniqueOrThrow({ where: { id: lost.id } })).status === "succeeded");
    expect(holding.holding).toBeLessThanOrEqual(10);
    // Every one of A's rows was requested once: each has its run (waiting or started), none twice.
    const runs = await stack.engine.listRuns({ functionId: "courierx-webhooks-deliver" });
    const requested = new Set(runs.map((r) => String(r.event.data.delivery_id)));
    expect(requested.size).toBe(runs.length);
    const rowsOfA = await db.webhookDelivery.findMany({ where: { tenantId: a.tenantId }, select: { id: true } });
    expect(rowsOfA.every((r) => requested.has(r.id))).toBe(true);

    // Nothing of A's is delivered after the test: its rows end, and the held attempts are let go.
    await db.webhookDelivery.updateMany({ where: { tenantId: a.tenantId }, data: { status: "failed" } });
    holding.release();
  }, 90_000);
});
