/**
 * scheduled_at and POST /api/v1/emails/:id/cancel through the real stack (the app's engine and functions,
 * the provider emulators, real clocks): a scheduled email stays queued and untouched until its time and
 * goes out at it; its wait is a stored sleep that outlives the engine; a cancel before the time means no
 * provider ever sees it; and a cancel racing the run's wake-up or another worker's claim is decided by the
 * email row, so an email is either canceled or sent, never both.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/server/db";
import { emailQueuedEvent } from "@/server/jobs/events";
import { setLocalEngine, startLocalEngine, stopLocalEngine } from "@/server/jobs/engine";
import { claimAttempt } from "@/server/services/delivery/attempt-claim";
import { unsafeFindStaleQueuedEmails } from "@/server/services/delivery/find-stale-queued-emails";
import { authenticateRequest } from "@/server/services/auth/authenticate-request";
import { cancelEmail } from "@/server/services/emails/cancel-email";
import { queueEmail } from "@/server/services/emails/queue-email";
import { sendEmailInput } from "@/server/services/emails/schemas";
import { isAppError } from "@/server/lib/errors";
import { api, signUp } from "../../helpers/api";
import { connect, emailBody, startSendingStack, waitForFinal, type SendingStack } from "../../helpers/sending";

let stack: SendingStack;
beforeAll(async () => {
  stack = await startSendingStack();
});
afterAll(async () => stack.stop());

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const inMs = (ms: number) => new Date(Date.now() + ms).toISOString();

async function liveTenant() {
  const tenant = await signUp();
  await connect(tenant.apiKey, stack.emulators, "postmark");
  return tenant;
}

const accepted = () => stack.emulators.http.stats("postmark").accepted;

/** Watches the email until `untilMs`: it must stay queued, never attempted. */
async function expectHeldUntil(apiKey: string, id: string, untilMs: number): Promise<void> {
  while (Date.now() < untilMs) {
    const res = await api.get(`/api/v1/emails/${id}`, { token: apiKey });
    expect(res.body.status, `held at ${new Date().toISOString()}`).toBe("queued");
    expect(res.body.attempts).toBe(0);
    await sleep(100);
  }
}

describe("scheduled_at", () => {
  it("holds the email, queued and unattempted, until its time, then sends it at that time", async () => {
    const { apiKey } = await liveTenant();
    const before = accepted();
    // With an offset: stored and shown as the same instant in UTC.
    const at = new Date(Math.ceil((Date.now() + 2500) / 1000) * 1000);
    const withOffset = new Date(at.getTime() + 2 * 3_600_000).toISOString().replace("Z", "+02:00").replace(/\.\d{3}/, "");
    const res = await api.post("/api/v1/emails", emailBody({ scheduled_at: withOffset }), { token: apiKey });
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({ status: "queued", scheduled_at: at.toISOString() });

    await expectHeldUntil(apiKey, res.body.id, at.getTime() - 300);
    expect(accepted() - before).toBe(0);
    const done = await waitForFinal(apiKey, res.body.id, 10_000);
    expect(done.status).toBe("sent");
    const sentAt = Date.parse(done.sent_at);
    expect(sentAt).toBeGreaterThanOrEqual(at.getTime());
    // Within the engine's polling (1 s) and a send.
    expect(sentAt - at.getTime()).toBeLessThan(2500);
    expect(done.events[0]).toMatchObject({ event_type: "queued", scheduled_at: at.toISOString() });
    expect(accepted() - before).toBe(1);
  });

  it("refuses a time in the past, more than 30 days ahead, or without an offset (422 with errors[]); clock skew of seconds sends at once", async () => {
    const { apiKey, tenantId } = await liveTenant();
    const cases: [string, string][] = [
      [inMs(-3_600_000), "scheduled_at must not be in the past"],
      [inMs(31 * 86_400_000), "scheduled_at must be at most 30 days ahead"],
      ["2026-12-24T09:00:00", "scheduled_at must be an ISO 8601 date-time with a time zone offset, such as 2026-12-24T09:00:00Z"],
      ["tomorrow", "scheduled_at must be an ISO 8601 date-time with a time zone offset, such as 2026-12-24T09:00:00Z"],
    ];
    for (const [value, error] of cases) {
      const res = await api.post("/api/v1/emails", emailBody({ scheduled_at: value }), { token: apiKey });
      expect(res.status, value).toBe(422);
      expect(res.body, value).toEqual({ errors: [error] });
    }
    const db = await getDb();
    expect(await db.email.count({ where: { tenantId } })).toBe(0);

    // In a batch, such an item is its own 422.
    const batch = await api.post("/api/v1/emails/batch", { emails: [emailBody({ scheduled_at: inMs(-3_600_000) }), emailBody({ scheduled_at: inMs(29 * 86_400_000) })] }, { token: apiKey });
    expect(batch.body.data.map((r: any) => r.status)).toEqual([422, 202]);
    expect(batch.body.data[0].errors).toEqual(["scheduled_at must not be in the past"]);
    // 29 days is more milliseconds than an int holds: the engine stores the sleep all the same.
    const farAt = Date.parse(batch.body.data[1].email.scheduled_at);
    expect((await eventuallySleepingRun(batch.body.data[1].email.id, farAt)).runAt.getTime()).toBeGreaterThan(farAt - 1000);

    const skewed = await api.post("/api/v1/emails", emailBody({ scheduled_at: inMs(-20_000) }), { token: apiKey });
    expect(skewed.status).toBe(202);
    expect((await waitForFinal(apiKey, skewed.body.id)).status).toBe("sent");
  });
});

describe("POST /api/v1/emails/:id/cancel", () => {
  it("cancels a scheduled email before its time: 200 canceled, never sent, 409 on a second cancel, listed under the filter", async () => {
    const { apiKey } = await liveTenant();
    const before = accepted();
    const scheduled = await api.post("/api/v1/emails", emailBody({ scheduled_at: inMs(2000) }), { token: apiKey });
    const id = scheduled.body.id as string;
    const res = await api.post(`/api/v1/emails/${id}/cancel`, {}, { token: apiKey });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id, status: "canceled", scheduled_at: scheduled.body.scheduled_at, attempts: 0 });
    expect(Date.parse(res.body.canceled_at)).not.toBeNaN();
    expect(res.headers.get("x-ratelimit-limit")).toBeTruthy();

    const again = await api.post(`/api/v1/emails/${id}/cancel`, {}, { token: apiKey });
    expect(again.status).toBe(409);
    expect(again.body).toEqual({ error: "Email is already canceled" });

    // Past its time the run wakes, finds it canceled and attempts nothing.
    expect((await runFinished(id)).output).toEqual({ status: "canceled" });
    const detail = await api.get(`/api/v1/emails/${id}`, { token: apiKey });
    expect(detail.body.status).toBe("canceled");
    expect(detail.body.attempts).toBe(0);
    expect(detail.body.events.map((e: any) => e.event_type)).toEqual(["queued", "canceled"]);
    expect(accepted() - before).toBe(0);

    const listed = await api.get("/api/v1/emails?status=canceled", { token: apiKey });
    expect(listed.body.map((e: any) => e.id)).toEqual([id]);
  });

  it("answers 409 once the email has gone, 404 for another tenant's or an unknown id", async () => {
    const { apiKey } = await liveTenant();
    const sent = await api.post("/api/v1/emails", emailBody(), { token: apiKey });
    expect((await waitForFinal(apiKey, sent.body.id)).status).toBe("sent");
    const late = await api.post(`/api/v1/emails/${sent.body.id}/cancel`, {}, { token: apiKey });
    expect(late.status).toBe(409);
    expect(late.body).toEqual({ error: "Email is already sent and can no longer be canceled" });

    const scheduled = await api.post("/api/v1/emails", emailBody({ scheduled_at: inMs(60_000) }), { token: apiKey });
    const other = await signUp("Other");
    const theirs = await api.post(`/api/v1/emails/${scheduled.body.id}/cancel`, {}, { token: other.apiKey });
    expect(theirs.status).toBe(404);
    expect(theirs.body).toEqual({ error: "Not found" });
    expect((await api.post("/api/v1/emails/00000000-0000-4000-8000-000000000000/cancel", {}, { token: apiKey })).status).toBe(404);
    expect((await api.post("/api/v1/emails/not-a-uuid/cancel", {}, { token: apiKey })).status).toBe(404);
    expect((await api.post(`/api/v1/emails/${scheduled.body.id}/cancel`, {})).status).toBe(401);
    // Still scheduled for its owner.
    expect((await api.get(`/api/v1/emails/${scheduled.body.id}`, { token: apiKey })).body.status).toBe("queued");
    expect((await api.post(`/api/v1/emails/${scheduled.body.id}/cancel`, {}, { token: apiKey })).status).toBe(200);
  });

  it("lets a test key cancel its own test emails, and not see live ones", async () => {
    const { apiKey, token } = await liveTenant();
    const testKey = (await api.post("/api/v1/api_keys", { name: "test", mode: "test" }, { token })).body.raw_key as string;
    const testEmail = await api.post("/api/v1/emails", emailBody({ scheduled_at: inMs(60_000) }), { token: testKey });
    const liveEmail = await api.post("/api/v1/emails", emailBody({ scheduled_at: inMs(60_000) }), { token: apiKey });
    const canceled = await api.post(`/api/v1/emails/${testEmail.body.id}/cancel`, {}, { token: testKey });
    expect(canceled.status).toBe(200);
    expect(canceled.body).toMatchObject({ status: "canceled", test: true });
    expect((await api.post(`/api/v1/emails/${liveEmail.body.id}/cancel`, {}, { token: testKey })).status).toBe(404);
    expect((await api.get(`/api/v1/emails/${liveEmail.body.id}`, { token: apiKey })).body.status).toBe("queued");
  });
});

describe("durability and races", () => {
  it("keeps a scheduled email's wait across an engine restart: nothing sent while stopped, sent at its time once started again", async () => {
    const { apiKey } = await liveTenant();
    const before = accepted();
    const at = Date.now() + 2500;
    const res = await api.post("/api/v1/emails", emailBody({ scheduled_at: new Date(at).toISOString() }), { token: apiKey });
    const id = res.body.id as string;
    const db = await getDb();
    // The run is stored, asleep until the email's time.
    const run = await eventuallySleepingRun(id, at);
    expect(run.status).toBe("queued");
    expect(Math.abs(run.runAt.getTime() - at)).toBeLessThan(1000);

    await stopLocalEngine({ timeoutMs: 5000 });
    setLocalEngine(undefined);
    await sleep(Math.max(0, at - Date.now()) + 1500);
    expect((await db.email.findUniqueOrThrow({ where: { id } })).status).toBe("queued");
    expect(accepted() - before).toBe(0);

    // A new engine (no memory of the old one) on the same database picks the run up.
    stack.engine = (await startLocalEngine({ role: "worker" }))!;
    const done = await waitForFinal(apiKey, id, 10_000);
    expect(done.status).toBe("sent");
    expect(accepted() - before).toBe(1);
  });

  it("keeps the wait when the recovery sweep emits a scheduled email's event again (the first emit was lost)", async () => {
    const { apiKey } = await liveTenant();
    const auth = (await authenticateRequest(apiKey, 1000))!;
    const at = Date.now() + 2500;
    // Stored without its event (as if the process died before the emit), accepted three minutes ago.
    const { email } = await queueEmail(auth.principal.tenantId, auth.principal, { ...sendEmailInput.parse(emailBody({ scheduled_at: new Date(at).toISOString() })), routingConnectionIds: [] }, { baseUrl: "http://localhost:3000" });
    const db = await getDb();
    await db.email.update({ where: { id: email.id }, data: { queuedAt: new Date(Date.now() - 3 * 60_000) } });
    const stale = await unsafeFindStaleQueuedEmails(2 * 60_000, 500);
    const found = stale.emails.find((e) => e.id === email.id);
    expect(found?.scheduledAt?.getTime()).toBe(at);
    const event = emailQueuedEvent(found!.tenantId, found!.id, found!.scheduledAt);
    expect(event.data.scheduled_at).toBe(new Date(at).toISOString());
    await stack.engine.enqueue([event]);
    await expectHeldUntil(apiKey, email.id, at - 300);
    const done = await waitForFinal(apiKey, email.id, 10_000);
    expect(Date.parse(done.sent_at)).toBeGreaterThanOrEqual(at);
  });

  it("decides a cancel racing another worker's claim on the email row: exactly one of them wins, every time", async () => {
    const { apiKey } = await liveTenant();
    const auth = (await authenticateRequest(apiKey, 1000))!;
    const { tenantId } = auth.principal;
    const outcomes = { canceled: 0, claimed: 0 };
    for (let i = 0; i < 20; i++) {
      // No run: this test plays the worker itself, with the claim the send function's first attempt makes.
      const { email } = await queueEmail(tenantId, auth.principal, { ...sendEmailInput.parse(emailBody()), routingConnectionIds: [] }, { baseUrl: "http://localhost:3000" });
      // One of them starts a millisecond after the other, alternately, so that either may reach the row first.
      const later = <T,>(go: () => Promise<T>, delayed: boolean) => (delayed ? sleep(1).then(go) : go());
      const cancel = later(() => cancelEmail(tenantId, auth.principal, email.id), i % 2 === 1).then(
        () => "canceled" as const,
        (error: unknown) => {
          if (isAppError(error) && error.code === "conflict") return "conflict" as const;
          throw error;
        },
      );
      const [claim, canceled] = await Promise.all([later(() => claimAttempt(tenantId, email.id), i % 2 === 0), cancel]);
      const db = await getDb();
      const row = await db.email.findUniqueOrThrow({ where: { id: email.id } });
      if (canceled === "canceled") {
        expect(claim).toEqual({ kind: "final", status: "canceled" });
        expect(row).toMatchObject({ status: "canceled", attempts: 0, attemptToken: null });
        outcomes.canceled++;
      } else {
        expect(claim.kind).toBe("claimed");
        expect(row.status).toBe("queued");
        expect(row.attempts).toBe(1);
        outcomes.claimed++;
      }
    }
    expect(outcomes.canceled + outcomes.claimed).toBe(20);
    console.log(`cancel vs claim: ${outcomes.canceled} canceled, ${outcomes.claimed} claimed`);
  });

  it("never sends an email whose cancel races its run's wake-up: canceled ones never reach the provider, the rest are sent", async () => {
    const { apiKey } = await liveTenant();
    const before = accepted();
    const at = Date.now() + 1500;
    const ids: string[] = [];
    for (let i = 0; i < 8; i++) ids.push((await api.post("/api/v1/emails", emailBody({ scheduled_at: new Date(at).toISOString() }), { token: apiKey })).body.id);
    // Cancels spread over the wake-up: some land before the run wakes, some while it attempts, some after.
    await sleep(Math.max(0, at - Date.now() - 200));
    const answers = await Promise.all(ids.map(async (id, i) => {
      await sleep(i * 60);
      return (await api.post(`/api/v1/emails/${id}/cancel`, {}, { token: apiKey })).status;
    }));
    expect(answers.every((s) => s === 200 || s === 409)).toBe(true);
    for (const [i, id] of ids.entries()) {
      await runFinished(id);
      const email = (await api.get(`/api/v1/emails/${id}`, { token: apiKey })).body;
      if (answers[i] === 200) expect([email.status, email.attempts]).toEqual(["canceled", 0]);
      else expect(email.status).toBe("sent");
    }
    expect(accepted() - before).toBe(answers.filter((s) => s === 409).length);
    console.log(`cancel vs wake-up: ${answers.filter((s) => s === 200).length} canceled, ${answers.filter((s) => s === 409).length} sent`);
  });
});

/** The email's send run once it completed (its output says how it ended). */
async function runFinished(emailId: string, timeoutMs = 10_000) {
  const db = await getDb();
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const run = await db.jobRun.findFirst({ where: { idempotencyKey: emailId, functionId: { endsWith: "send-email" } } });
    if (run?.status === "completed") return run;
    if (Date.now() > deadline) throw new Error(`send run of ${emailId} is ${run?.status ?? "missing"} after ${timeoutMs} ms`);
    await sleep(50);
  }
}

/** The email's send run once it is stored asleep: released with its next call at the email's time. */
async function eventuallySleepingRun(emailId: string, at: number) {
  const db = await getDb();
  for (let i = 0; i < 100; i++) {
    const run = await db.jobRun.findFirst({ where: { idempotencyKey: emailId, functionId: { endsWith: "send-email" } } });
    if (run && run.leaseOwner === null && run.runAt.getTime() > at - 1000) return run;
    await sleep(20);
  }
  throw new Error(`no sleeping run for email ${emailId}`);
}
