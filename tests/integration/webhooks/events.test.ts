/**
 * End to end: emails sent through the API produce their events, the event recorder writes the outbox
 * deliveries, and the receiver gets them — the seed's payload, the subscribed types only, one email's
 * sequence numbers in increasing order, replays with the same webhook-id, the outbox sweep for a lost
 * dispatch, and a delivery-time refusal of addresses the outbound guard does not allow.
 */
import { InngestTestEngine } from "@inngest/test";
import { Webhook } from "standardwebhooks";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { getDb } from "@/server/db";
import { env } from "@/server/env";
import { dispatchStaleWebhooks } from "@/server/jobs/functions/dispatch-stale-webhooks";
import { setOutboundResolver } from "@/server/lib/outbound-guard";
import { uuidv7 } from "@/server/lib/ids";
import { unsafeFindUndispatchedDeliveries } from "@/server/services/webhooks/find-undispatched-deliveries";
import { api, signUp } from "../../helpers/api";
import { eventually, sleep } from "../../helpers/engine";
import { connect, emailBody, startSendingStack, type SendingStack } from "../../helpers/sending";
import { createEndpoint, FAST_WEBHOOK_TIMINGS, Receiver, settledDeliveries, waitForReceived, type ReceivedWebhook } from "./support";

let receiver: Receiver;
let stack: SendingStack;
beforeAll(async () => {
  receiver = await Receiver.start();
  stack = await startSendingStack();
});
afterAll(async () => {
  await stack.stop();
  await receiver.stop();
});
beforeEach(() => {
  receiver.reset();
  Object.assign(env, FAST_WEBHOOK_TIMINGS);
});

async function testKey(token: string): Promise<string> {
  return (await api.post("/api/v1/api_keys", { name: "sandbox", mode: "test" }, { token })).body.raw_key;
}

const at = (path: string) => (r: ReceivedWebhook) => r.path === path;

describe("email events reach the endpoints", () => {
  it("a test email to delivered@sandbox.courierx.dev: the endpoint receives sent then delivered, test: true, the email's metadata", async () => {
    const { token, apiKey } = await signUp();
    const key = await testKey(token);
    const all = await createEndpoint(apiKey, { url: receiver.url("/all") });
    const deliveredOnly = await createEndpoint(apiKey, { url: receiver.url("/delivered"), events: ["delivered"] });
    await createEndpoint(apiKey, { url: receiver.url("/bounced"), events: ["bounced", "complained"] });
    const paused = await createEndpoint(apiKey, { url: receiver.url("/paused") });
    await api.patch(`/api/v1/webhook_endpoints/${paused.id}`, { active: false }, { token: apiKey });

    const sent = await api.post("/api/v1/emails", emailBody({ to_email: "delivered@sandbox.courierx.dev", metadata: { user_id: "usr_123" } }), { token: key });
    expect(sent.status).toBe(202);
    await eventually(() => receiver.received.filter(at("/all")).length === 2 && receiver.received.some(at("/delivered")));
    await sleep(300);

    const toAll = receiver.received.filter(at("/all"));
    expect(toAll.map((r) => r.json.event)).toEqual(["sent", "delivered"]);
    for (const r of toAll) {
      expect(Object.keys(r.json)).toEqual(["event", "email_id", "recipient", "provider", "timestamp", "metadata", "sequence", "test"]);
      expect(r.json).toMatchObject({ email_id: sent.body.id, recipient: "delivered@sandbox.courierx.dev", metadata: { user_id: "usr_123" }, test: true });
      expect(new Date(r.json.timestamp).toISOString()).toBe(r.json.timestamp);
      expect(new Webhook(all.secret).verify(r.body, r.headers as Record<string, string>)).toEqual(r.json);
    }
    expect(toAll.map((r) => r.json.sequence)).toEqual([1, 2]);
    // The event filter holds: only `delivered` here, nothing for bounced/complained, nothing for an inactive endpoint.
    expect(receiver.received.filter(at("/delivered")).map((r) => r.json.event)).toEqual(["delivered"]);
    expect(new Webhook(deliveredOnly.secret).verify(receiver.received.find(at("/delivered"))!.body, receiver.received.find(at("/delivered"))!.headers as Record<string, string>)).toBeTruthy();
    expect(receiver.received.filter(at("/bounced"))).toHaveLength(0);
    expect(receiver.received.filter(at("/paused"))).toHaveLength(0);
    expect(receiver.received).toHaveLength(3);

    const list = await settledDeliveries(apiKey, all.id, 2);
    expect(list.map((d) => [d.event, d.status, d.email_id])).toEqual([
      ["delivered", "succeeded", sent.body.id],
      ["sent", "succeeded", sent.body.id],
    ]);
  });

  it("a live email through a provider: sent with the provider, test: false", async () => {
    const { apiKey } = await signUp();
    await connect(apiKey, stack.emulators, "sendgrid");
    await createEndpoint(apiKey, { url: receiver.url("/live"), events: ["sent", "failed"] });
    const sent = await api.post("/api/v1/emails", emailBody({ to_email: "alice@example.com" }), { token: apiKey });
    const [received] = await waitForReceived(receiver, 1);
    expect(received!.json).toMatchObject({ event: "sent", email_id: sent.body.id, recipient: "alice@example.com", provider: "sendgrid", sequence: 1, test: false, metadata: {} });
  });

  it("one email's events arrive in sequence order, each after the previous one was answered", async () => {
    const { token, apiKey } = await signUp();
    const key = await testKey(token);
    await createEndpoint(apiKey, { url: receiver.url("/ordered") });
    // A slow receiver: without ordering, the later events would arrive while the first is still answered.
    receiver.script([], { status: 200, body: "ok", delayMs: 150 });
    const first = await api.post("/api/v1/emails", emailBody({ to_email: "clicked@sandbox.courierx.dev" }), { token: key });
    const second = await api.post("/api/v1/emails", emailBody({ to_email: "opened@sandbox.courierx.dev" }), { token: key });
    await eventually(() => receiver.received.length === 7 && receiver.received.every((r) => r.answeredAt !== undefined), 20_000);
    const byEmail = (id: string) => receiver.received.filter((r) => r.json.email_id === id);
    expect(byEmail(first.body.id).map((r) => [r.json.sequence, r.json.event])).toEqual([
      [1, "sent"],
      [2, "delivered"],
      [3, "opened"],
      [4, "clicked"],
    ]);
    expect(byEmail(second.body.id).map((r) => [r.json.sequence, r.json.event])).toEqual([
      [1, "sent"],
      [2, "delivered"],
      [3, "opened"],
    ]);
    // Per email, each request arrived only after the one before it was answered.
    for (const series of [byEmail(first.body.id), byEmail(second.body.id)]) {
      for (let i = 1; i < series.length; i++) expect(series[i]!.arrivedAt).toBeGreaterThanOrEqual(series[i - 1]!.answeredAt!);
    }
  });

  it("a replay re-sends the same message (webhook-id, body) as a new delivery pointing at the original", async () => {
    const { token, apiKey } = await signUp();
    const key = await testKey(token);
    const endpoint = await createEndpoint(apiKey, { url: receiver.url("/replay"), events: ["sent"] });
    await api.post("/api/v1/emails", emailBody({ to_email: "someone@example.com" }), { token: key });
    const [original] = await settledDeliveries(apiKey, endpoint.id, 1);
    const replay = await api.post(`/api/v1/webhook_endpoints/${endpoint.id}/deliveries/${original.id}/replay`, undefined, { token: apiKey });
    expect(replay.status).toBe(202);
    expect(replay.body).toMatchObject({ replay_of_id: original.id, message_id: original.message_id, payload: original.payload, status: "pending", event: "sent" });
    expect(replay.body.id).not.toBe(original.id);
    const [first, second] = await waitForReceived(receiver, 2);
    expect(second!.headers["webhook-id"]).toBe(first!.headers["webhook-id"]);
    expect(second!.body).toBe(first!.body);
    const list = await settledDeliveries(apiKey, endpoint.id, 2);
    expect(list.map((d) => [d.id, d.status])).toEqual([
      [replay.body.id, "succeeded"],
      [original.id, "succeeded"],
    ]);
  });

  it("the test event is a sample delivered event with test: true, sent whatever the endpoint subscribes to", async () => {
    const { apiKey } = await signUp();
    const endpoint = await createEndpoint(apiKey, { url: receiver.url("/sample"), events: ["bounced"] });
    const res = await api.post(`/api/v1/webhook_endpoints/${endpoint.id}/test`, undefined, { token: apiKey });
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({ event: "delivered", status: "pending", email_id: null, replay_of_id: null });
    const [received] = await waitForReceived(receiver, 1);
    expect(received!.json).toMatchObject({ event: "delivered", test: true, sequence: 1, provider: "sandbox" });
    expect(received!.json.email_id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});

describe("the outbox sweep", () => {
  it("requests deliveries whose run never started, once they are 30 s old; a repeat starts nothing new", async () => {
    const { apiKey, tenantId } = await signUp();
    const endpoint = await createEndpoint(apiKey, { url: receiver.url("/swept") });
    const db = await getDb();
    const payload = { event: "sent", email_id: uuidv7(), recipient: "a@example.com", provider: "sendgrid", timestamp: new Date().toISOString(), metadata: {}, sequence: 1, test: false };
    // Rows as the event recorder writes them, whose dispatch was lost (no run requested).
    const lost = await db.webhookDelivery.create({ data: { tenantId, endpointId: endpoint.id, eventType: "sent", emailId: payload.email_id, messageId: `msg_${uuidv7()}`, payload, createdAt: new Date(Date.now() - 60_000) } });
    const fresh = await db.webhookDelivery.create({ data: { tenantId, endpointId: endpoint.id, eventType: "sent", emailId: uuidv7(), messageId: `msg_${uuidv7()}`, payload: { ...payload, email_id: uuidv7() } } });

    const found = (await unsafeFindUndispatchedDeliveries(30_000, 500)).deliveries.map((d) => d.deliveryId);
    expect(found).toContain(lost.id);
    expect(found).not.toContain(fresh.id);

    const sweep = new InngestTestEngine({ function: dispatchStaleWebhooks, events: [{ name: "inngest/scheduled.timer", data: { cron: "* * * * *" } }] });
    const { result, error } = await sweep.execute();
    expect(error).toBeUndefined();
    expect((result as { re_requested: number }).re_requested).toBeGreaterThanOrEqual(1);
    const [received] = await waitForReceived(receiver, 1);
    expect(received!.headers["webhook-id"]).toBe(lost.messageId);
    await eventually(async () => (await db.webhookDelivery.findUniqueOrThrow({ where: { id: lost.id } })).status === "succeeded");
    expect((await db.webhookDelivery.findUniqueOrThrow({ where: { id: lost.id } })).dispatchedAt).not.toBeNull();
    expect((await unsafeFindUndispatchedDeliveries(30_000, 500)).deliveries.map((d) => d.deliveryId)).not.toContain(lost.id);

    // Requested again all the same (a sweep racing the run's start): no second run, no second request.
    await new InngestTestEngine({ function: dispatchStaleWebhooks, events: [{ name: "inngest/scheduled.timer", data: { cron: "* * * * *" } }] }).execute();
    await stack.engine.enqueue([{ id: `webhook-delivery-${lost.id}`, name: "app/webhook.delivery-requested", data: { tenant_id: tenantId, endpoint_id: endpoint.id, delivery_id: lost.id } }]);
    await sleep(500);
    expect(receiver.received.filter((r) => r.headers["webhook-id"] === lost.messageId)).toHaveLength(1);
    expect(await stack.engine.listRuns({ eventId: `webhook-delivery-${lost.id}` })).toHaveLength(1);
    expect(await db.webhookDeliveryAttempt.count({ where: { deliveryId: lost.id } })).toBe(1);
    await db.webhookDelivery.delete({ where: { id: fresh.id } });
  });
});

describe("the outbound guard at delivery time", () => {
  const saved = { NODE_ENV: env.NODE_ENV, DATABASE_URL: env.DATABASE_URL, ALLOW_PRIVATE_OUTBOUND: env.ALLOW_PRIVATE_OUTBOUND };
  let restoreResolver: (() => void) | undefined;
  afterEach(() => {
    Object.assign(env, saved);
    restoreResolver?.();
    restoreResolver = undefined;
  });

  it("in production mode a URL (literal, or a name that now resolves to loopback) is refused at connect time: the receiver hears nothing", async () => {
    const { apiKey } = await signUp();
    Object.assign(env, { WEBHOOK_RETRY_DELAYS: "50ms" });
    // Saved while the embedded default allowed loopback; the name resolved to loopback then too.
    restoreResolver = setOutboundResolver(async (hostname) => {
      if (hostname === "rebind.test") return [{ address: "127.0.0.1", family: 4 }];
      throw Object.assign(new Error(`ENOTFOUND ${hostname}`), { code: "ENOTFOUND" });
    });
    const literal = await createEndpoint(apiKey, { url: receiver.url("/literal") });
    const named = await createEndpoint(apiKey, { url: `http://rebind.test:${receiver.port}/named` });
    Object.assign(env, { NODE_ENV: "production", DATABASE_URL: "postgresql://db.example/prod", ALLOW_PRIVATE_OUTBOUND: false });

    await api.post(`/api/v1/webhook_endpoints/${literal.id}/test`, undefined, { token: apiKey });
    await api.post(`/api/v1/webhook_endpoints/${named.id}/test`, undefined, { token: apiKey });
    const [toLiteral] = await settledDeliveries(apiKey, literal.id, 1);
    const [toName] = await settledDeliveries(apiKey, named.id, 1);
    expect(toLiteral).toMatchObject({ status: "failed", attempt_count: 2, response_code: null, last_error: "Destination not allowed: 127.0.0.1 is not a public address (loopback)" });
    expect(toName).toMatchObject({ status: "failed", attempt_count: 2, response_code: null, last_error: "Destination not allowed: rebind.test resolves to a non-public address" });
    expect(receiver.received).toHaveLength(0);

    // The same endpoints deliver again once the policy allows them.
    env.ALLOW_PRIVATE_OUTBOUND = true;
    await api.post(`/api/v1/webhook_endpoints/${named.id}/test`, undefined, { token: apiKey });
    await waitForReceived(receiver, 1);
    const [delivered] = await settledDeliveries(apiKey, named.id, 1);
    expect(delivered.status).toBe("succeeded");
  });
});
