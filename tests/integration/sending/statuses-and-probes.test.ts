/**
 * What the wire shows while an email is being worked on (only the seed's six statuses, progress in
 * next_attempt_at and on the timeline), and test emails keeping out of a connection's circuit breaker.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { getDb } from "@/server/db";
import { env } from "@/server/env";
import { api, signUp } from "../../helpers/api";
import { connect, emailBody, startSendingStack, TEST_TIMINGS, waitForFinal, type SendingStack } from "../../helpers/sending";

const WIRE_STATUSES = ["queued", "sent", "delivered", "bounced", "failed", "suppressed"];

let stack: SendingStack;
beforeAll(async () => {
  stack = await startSendingStack();
});
afterAll(async () => stack.stop());
beforeEach(async () => stack.emulators.reset());
afterEach(() => {
  Object.assign(env, TEST_TIMINGS);
});

const posts = () => stack.emulators.http.requests("sendgrid").filter((r) => r.method === "POST").length;

describe("statuses on the wire", () => {
  it("are the seed's six: an email mid-send or waiting for its retry reads queued, with next_attempt_at", async () => {
    env.SEND_RETRY_DELAYS = "2s";
    const t = await signUp();
    await connect(t.apiKey, stack.emulators, "sendgrid");
    await stack.emulators.fail("sendgrid", "5xx", { times: 1 });
    const queued = await api.post("/api/v1/emails", emailBody(), { token: t.apiKey });
    expect(queued.status).toBe(202);
    expect(queued.body.status).toBe("queued");

    const seen = new Set<string>();
    let waiting: any;
    for (const deadline = Date.now() + 15_000; Date.now() < deadline; ) {
      const [one, list] = await Promise.all([api.get(`/api/v1/emails/${queued.body.id}`, { token: t.apiKey }), api.get("/api/v1/emails", { token: t.apiKey })]);
      seen.add(one.body.status);
      for (const e of list.body) seen.add(e.status);
      if (one.body.events.some((e: any) => e.event_type === "deferred") && one.body.status === "queued") waiting ??= one.body;
      if (one.body.status === "sent") break;
      await new Promise((r) => setTimeout(r, 20));
    }
    expect([...seen].every((s) => WIRE_STATUSES.includes(s)), [...seen].join()).toBe(true);
    // While it waits for the next round: queued, the next round's time, and the failed attempt on the timeline.
    expect(waiting).toMatchObject({ status: "queued", attempts: 1 });
    expect(Date.parse(waiting.next_attempt_at)).toBeGreaterThan(Date.parse(waiting.events.find((e: any) => e.event_type === "deferred").occurred_at));
    expect(waiting.events.map((e: any) => e.event_type)).toEqual(["queued", "attempt_failed", "deferred"]);
    const done = await waitForFinal(t.apiKey, queued.body.id);
    expect(done).toMatchObject({ status: "sent", next_attempt_at: null, attempts: 2, possible_duplicate: false });
  });

  it("filters only by the six: status=sending is a validation error, not an empty list", async () => {
    const t = await signUp();
    const res = await api.get("/api/v1/emails?status=sending", { token: t.apiKey });
    expect(res.status).toBe(422);
    expect(res.body.errors.join(" ")).toMatch(/status/);
  });
});

describe("test emails and the circuit breaker", () => {
  it("never take a connection's half-open probe: the live email that follows probes and closes the circuit", async () => {
    const t = await signUp();
    const testKey = (await api.post("/api/v1/api_keys", { name: "sandbox", mode: "test" }, { token: t.token })).body.raw_key as string;
    const connectionId = await connect(t.apiKey, stack.emulators, "sendgrid");
    const db = await getDb();
    // The circuit opened earlier and its cool-down is over: the next live send is due to probe it.
    const opened = new Date(Date.now() - 120_000);
    await db.providerConnection.update({
      where: { id: connectionId },
      data: { circuitState: "open", consecutiveFailures: 3, circuitOpenedAt: opened, circuitRetryAt: new Date(Date.now() - 1_000) },
    });

    const sandboxed = await waitForFinal(testKey, (await api.post("/api/v1/emails", emailBody(), { token: testKey })).body.id);
    expect(sandboxed).toMatchObject({ status: "sent", test: true });
    const after = await db.providerConnection.findUniqueOrThrow({ where: { id: connectionId } });
    expect(after).toMatchObject({ circuitState: "open", circuitProbeStartedAt: null, consecutiveFailures: 3 });
    expect(posts()).toBe(0);

    const live = await waitForFinal(t.apiKey, (await api.post("/api/v1/emails", emailBody(), { token: t.apiKey })).body.id);
    expect(live).toMatchObject({ status: "sent", provider: "sendgrid" });
    expect(live.events.map((e: any) => e.event_type)).toEqual(["queued", "sent"]);
    expect(await db.providerConnection.findUniqueOrThrow({ where: { id: connectionId } })).toMatchObject({ circuitState: "closed", consecutiveFailures: 0 });
    expect(posts()).toBe(1);
  });
});
