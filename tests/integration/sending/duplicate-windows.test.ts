/**
 * The windows in which an accepted email could be sent twice, each closed:
 * - the provider accepted and the database write failed (a trigger in the real database refuses it);
 * - a second worker took over the run while the first was still inside the provider call;
 * - an attempt whose holder died mid-send is taken over after its lease and flagged possible_duplicate;
 * - the recovery sweep starts a run for an email left mid-send, and walks forward instead of rescanning.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { getDb } from "@/server/db";
import { env } from "@/server/env";
import { createLocalEngine, setLocalEngine, type LocalEngine } from "@/server/jobs/engine";
import { functions } from "@/server/jobs/functions";
import { inngest } from "@/server/jobs/client";
import { inngestEndpoint } from "@/server/jobs/serve";
import { claimAttempt } from "@/server/services/delivery/attempt-claim";
import { markEmailFailed } from "@/server/services/delivery/email-state";
import { recordAcceptedSend } from "@/server/services/delivery/record-accepted-send";
import { unsafeFindEmailsStuckMidSend, unsafeFindStaleQueuedEmails, unsafeSaveSweepPosition } from "@/server/services/delivery/find-stale-queued-emails";
import { closeProviderClients } from "@/server/providers";
import { startEmulators, type Emulators } from "../../emulators";
import { api, signUp } from "../../helpers/api";
import { eventually } from "../../helpers/engine";
import { connect, emailBody, TEST_TIMINGS, waitForFinal } from "../../helpers/sending";

let emulators: Emulators;
const engines: LocalEngine[] = [];

function engine(options: { workerId: string; leaseMs: number; db?: () => ReturnType<typeof getDb> }): LocalEngine {
  const created = createLocalEngine({ client: inngest, functions, endpoint: inngestEndpoint, pollIntervalMs: 50, backoff: () => 100, ...options });
  engines.push(created);
  return created;
}

/**
 * An engine whose own bookkeeping (claims, lease renewals, step results) can be cut off from the database
 * while the app's services, and so the step code, still reach it: a partition or a long pause of one worker.
 */
function engineWithCuttableDb(workerId: string, leaseMs: number): { engine: LocalEngine; link: { cut: boolean } } {
  const link = { cut: false };
  return { engine: engine({ workerId, leaseMs, db: () => (link.cut ? Promise.reject(new Error("cut off from the database")) : getDb()) }), link };
}

beforeAll(async () => {
  Object.assign(env, TEST_TIMINGS, { PROVIDER_TIMEOUT_MS: 8_000, ATTEMPT_LEASE_MS: 6_000 });
  emulators = await startEmulators();
});

afterAll(async () => {
  for (const e of engines) await e.stop({ timeoutMs: 2000 });
  setLocalEngine(undefined);
  closeProviderClients();
  await emulators.stop();
});

beforeEach(async () => {
  for (const e of engines.splice(0)) await e.stop({ timeoutMs: 2000 });
  // Each test's engines start on a clean queue: runs an earlier test left unfinished on purpose stay out.
  await (await getDb()).jobRun.updateMany({ where: { status: { in: ["queued", "running"] } }, data: { status: "cancelled" } });
  emulators.reset();
});

const posts = () => emulators.http.requests("sendgrid").filter((r) => r.method === "POST").length;

/** Stores the email (through the API) and its run, without starting any engine yet. */
async function queueEmail(onto: LocalEngine): Promise<{ apiKey: string; id: string }> {
  setLocalEngine(onto);
  const t = await signUp();
  await connect(t.apiKey, emulators, "sendgrid");
  const res = await api.post("/api/v1/emails", emailBody(), { token: t.apiKey });
  expect(res.status).toBe(202);
  return { apiKey: t.apiKey, id: res.body.id };
}

/**
 * The database refuses every write that moves an email to `sent` for `ms` from now. The window is read by
 * the trigger, and a sequence counts the refusals (nextval() survives the rollback of the aborted statement).
 */
async function refuseSentWrites(ms: number): Promise<void> {
  const db = await getDb();
  await db.$executeRawUnsafe(`DROP TRIGGER IF EXISTS fail_sent ON "Email"`);
  await db.$executeRawUnsafe(`DROP SEQUENCE IF EXISTS fail_sent_seq`);
  await db.$executeRawUnsafe(`CREATE SEQUENCE fail_sent_seq`);
  await db.$executeRawUnsafe(`CREATE TABLE IF NOT EXISTS fail_sent_window ("until" timestamptz)`);
  await db.$executeRawUnsafe(`DELETE FROM fail_sent_window`);
  await db.$executeRawUnsafe(`INSERT INTO fail_sent_window VALUES (clock_timestamp() + make_interval(secs => ${ms / 1000}))`);
  await db.$executeRawUnsafe(`
    CREATE OR REPLACE FUNCTION fail_sent() RETURNS trigger AS $$
    BEGIN
      IF NEW."status" = 'sent' AND OLD."status" <> 'sent' AND clock_timestamp() < (SELECT max("until") FROM fail_sent_window) THEN
        PERFORM nextval('fail_sent_seq');
        RAISE EXCEPTION 'injected: the database refused the write';
      END IF;
      RETURN NEW;
    END $$ LANGUAGE plpgsql`);
  await db.$executeRawUnsafe(`CREATE TRIGGER fail_sent BEFORE UPDATE ON "Email" FOR EACH ROW EXECUTE FUNCTION fail_sent()`);
}

async function refusedWrites(): Promise<number> {
  const db = await getDb();
  const [row] = await db.$queryRawUnsafe<{ n: bigint; called: boolean }[]>(`SELECT last_value AS n, is_called AS called FROM fail_sent_seq`);
  return row?.called ? Number(row.n) : 0;
}

describe("a failing database write after the provider accepted", () => {
  afterAll(async () => {
    await (await getDb()).$executeRawUnsafe(`DROP TRIGGER IF EXISTS fail_sent ON "Email"`);
  });

  it.each([
    // Within the attempt's lease the write is retried in place.
    ["retried inside the step", 1_500],
    // Longer: handed to record-sent steps, whose rounds of retries and pauses outlast the outage.
    ["handed to later durable steps when the outage outlasts the attempt's lease", 16_000],
  ])("is %s: exactly one provider call, and the email ends sent", async (_name, outageMs) => {
    const worker = engine({ workerId: `writes-${outageMs}`, leaseMs: 10_000 });
    const { apiKey, id } = await queueEmail(worker);
    await refuseSentWrites(outageMs);
    const started = Date.now();
    await worker.start();
    const done = await waitForFinal(apiKey, id, 60_000);
    expect(Date.now() - started).toBeGreaterThanOrEqual(outageMs - 500);
    expect(await refusedWrites()).toBeGreaterThan(1);
    expect(done).toMatchObject({ status: "sent", possible_duplicate: false });
    expect(done.provider_message_id).toEqual(expect.any(String));
    expect(done.events.filter((e: any) => e.event_type === "sent")).toHaveLength(1);
    expect(posts()).toBe(1);
  }, 90_000);

  it("is retried past a short outage of the engine's own writes too (no replay of the provider call)", async () => {
    // The app's email write and the engine's step results fail together, as in a real database outage.
    const { engine: worker, link } = engineWithCuttableDb("outage", 800);
    const { apiKey, id } = await queueEmail(worker);
    await emulators.fail("sendgrid", "slow", { delayMs: 1_500 });
    await worker.start();
    await eventually(() => posts() === 1, 10_000);
    link.cut = true;
    await refuseSentWrites(5_000);
    await new Promise((r) => setTimeout(r, 5_000));
    link.cut = false;
    const done = await waitForFinal(apiKey, id, 30_000);
    expect(done).toMatchObject({ status: "sent", possible_duplicate: false });
    expect(posts()).toBe(1);
  }, 60_000);
});

describe("an acceptance that arrives after another holder took the attempt over", () => {
  it("still reads sent, with the message id, flagged possible_duplicate — even when the takeover ended failed", async () => {
    const worker = engine({ workerId: "late", leaseMs: 10_000 });
    const { apiKey, id } = await queueEmail(worker);
    const tenantId = await tenantOf(id);
    // Holder A claims and is paused past its lease inside the provider call; B takes over and fails the email.
    const a = await claimAttempt(tenantId, id);
    if (a.kind !== "claimed") throw new Error("no claim");
    const db = await getDb();
    await db.$executeRawUnsafe(`UPDATE "Email" SET "attemptLeaseUntil" = now() AT TIME ZONE 'UTC' - interval '1 second' WHERE "id" = '${id}'`);
    const b = await claimAttempt(tenantId, id);
    expect(b).toMatchObject({ kind: "claimed", tookOver: true });
    if (b.kind !== "claimed") throw new Error("no takeover");
    await db.$executeRawUnsafe(`UPDATE "Email" SET "attemptToken" = NULL, "attemptLeaseUntil" = NULL WHERE "id" = '${id}'`);
    expect(await markEmailFailed(tenantId, id, "sendgrid: invalid recipient", { permanent: true })).toBe(true);
    // A's call comes back accepted.
    await recordAcceptedSend(tenantId, id, { token: a.token, connectionId: null, provider: "sendgrid", providerMessageId: "late-accept-1", possibleDuplicate: false, data: { message_id: "late-accept-1" } });
    const email = (await api.get(`/api/v1/emails/${id}`, { token: apiKey })).body;
    expect(email).toMatchObject({ status: "sent", provider_message_id: "late-accept-1", possible_duplicate: true, failed_at: null });
    expect(email.events.map((e: any) => e.event_type)).toEqual(["queued", "failed", "sent"]);
    // Recorded once: the same late acceptance retried changes nothing.
    await recordAcceptedSend(tenantId, id, { token: a.token, connectionId: null, provider: "sendgrid", providerMessageId: "late-accept-1", possibleDuplicate: false, data: {} });
    expect((await api.get(`/api/v1/emails/${id}`, { token: apiKey })).body.events).toHaveLength(3);
  });

  it("is never failed from outside while an attempt holds it (onFailure, a give-up of another run)", async () => {
    const worker = engine({ workerId: "held", leaseMs: 10_000 });
    const { apiKey, id } = await queueEmail(worker);
    const tenantId = await tenantOf(id);
    await claimAttempt(tenantId, id);
    expect(await markEmailFailed(tenantId, id, "Delivery stopped by an internal error")).toBe(false);
    expect((await api.get(`/api/v1/emails/${id}`, { token: apiKey })).body.status).toBe("queued");
  });
});

describe("a second worker taking over a run whose first holder is still inside the provider call", () => {
  it("does not call the provider again; the first holder's result stands", async () => {
    // Worker one loses the database for its own bookkeeping (lease renewals, step results) once the
    // provider call is under way, as in a network partition or a long pause: its lease lapses, worker two
    // claims the run and replays the attempt's step while the first call is still waiting for the provider.
    const { engine: one, link } = engineWithCuttableDb("one", 800);
    const { apiKey, id } = await queueEmail(one);
    await emulators.fail("sendgrid", "slow", { delayMs: 3_000 });
    await one.start();
    await eventually(() => posts() === 1, 10_000);
    link.cut = true;

    const two = engine({ workerId: "two", leaseMs: 800 });
    await two.start();
    const done = await waitForFinal(apiKey, id, 30_000);
    expect(done.status).toBe("sent");
    const db = await getDb();
    const stored = await db.jobRun.findFirstOrThrow({ where: { functionId: "courierx-send-email", event: { path: ["data", "email_id"], equals: id } } });
    const finished = await two.waitForRun(stored.id, { timeoutMs: 20_000 });
    expect(posts()).toBe(1);
    expect(done.possible_duplicate).toBe(false);
    expect(done.events.filter((e: any) => e.event_type === "sent")).toHaveLength(1);
    // Worker two finished the run (worker one could not write a thing). Its replay of the attempt's step
    // found the attempt in flight and waited out its lease; then it found the email sent and stopped.
    expect(finished.status).toBe("completed");
    expect(Object.values(finished.steps)).toEqual([{ data: { preparation: { action: "stop", status: "sent" } } }]);
    expect(finished.runAt.getTime() - finished.createdAt.getTime()).toBeGreaterThan(env.ATTEMPT_LEASE_MS! - 2_000);
  }, 60_000);
});

describe("an attempt whose holder died mid-send", () => {
  it("is taken over once its lease lapsed: sent, and flagged possible_duplicate", async () => {
    const worker = engine({ workerId: "taker", leaseMs: 10_000 });
    const { apiKey, id } = await queueEmail(worker);
    // A holder claims the attempt (and, say, reaches the provider), then dies without writing back.
    const claim = await claimAttempt(await tenantOf(id), id);
    expect(claim.kind).toBe("claimed");
    expect((await api.get(`/api/v1/emails/${id}`, { token: apiKey })).body.status).toBe("queued");

    const started = Date.now();
    await worker.start();
    const done = await waitForFinal(apiKey, id, 30_000);
    expect(Date.now() - started).toBeGreaterThan(env.ATTEMPT_LEASE_MS! - 1_500);
    expect(done.status).toBe("sent");
    expect(done.possible_duplicate).toBe(true);
    expect(done.events.find((e: any) => e.event_type === "sent").possible_duplicate).toBe(true);
    expect(posts()).toBe(1);
  }, 60_000);
});

describe("the recovery sweep", () => {
  it("starts a run for an email stuck mid-send with no run left, and never rescans what it passed", async () => {
    const idle = engine({ workerId: "idle", leaseMs: 10_000 });
    const { apiKey, id } = await queueEmail(idle);
    const db = await getDb();
    const tenantId = await tenantOf(id);
    // The email's run is gone (it failed and its onFailure never ran), the email left mid-send long ago.
    await db.jobRun.deleteMany({});
    await claimAttempt(tenantId, id);
    await db.$executeRawUnsafe(`UPDATE "Email" SET "attemptLeaseUntil" = now() AT TIME ZONE 'UTC' - interval '1 hour', "queuedAt" = now() AT TIME ZONE 'UTC' - interval '2 hours' WHERE "id" = '${id}'`);
    expect((await unsafeFindEmailsStuckMidSend(60_000, 10)).map((e) => e.id)).toContain(id);

    await runSweep(engine({ workerId: "sweeper", leaseMs: 10_000 }));
    const done = await waitForFinal(apiKey, id, 30_000);
    expect(done).toMatchObject({ status: "sent", possible_duplicate: true });
    expect(posts()).toBe(1);

    // The never-attempted sweep walks forward: what it passed is not returned again.
    await unsafeSaveSweepPosition({ position: new Date(0).toISOString(), lastId: null });
    const other = await queueEmail(idle);
    await db.$executeRawUnsafe(`UPDATE "Email" SET "queuedAt" = now() AT TIME ZONE 'UTC' - interval '10 minutes' WHERE "id" = '${other.id}'`);
    const first = await unsafeFindStaleQueuedEmails(120_000, 500);
    expect(first.emails.map((e) => e.id)).toContain(other.id);
    await unsafeSaveSweepPosition(first.next!);
    const second = await unsafeFindStaleQueuedEmails(120_000, 500);
    expect(second.emails.map((e) => e.id)).not.toContain(other.id);
  }, 60_000);
});

async function tenantOf(emailId: string): Promise<string> {
  const db = await getDb();
  const email = await db.email.findUniqueOrThrow({ where: { id: emailId }, select: { tenantId: true } });
  return email.tenantId;
}

/** Runs the recovery function once, as its minute's cron tick would (the same run row the ticker stores). */
async function runSweep(on: LocalEngine): Promise<void> {
  const db = await getDb();
  const functionId = "courierx-recover-queued-emails";
  const tick = new Date();
  const event = { id: `cron:${functionId}:${tick.toISOString()}`, name: "inngest/scheduled.timer", data: { cron: "* * * * *" }, ts: tick.getTime() };
  const run = await db.jobRun.create({ data: { functionId, eventName: event.name, event, idempotencyKey: `event:${event.id}` } });
  await on.start();
  const finished = await on.waitForRun(run.id, { timeoutMs: 20_000 });
  expect(finished.status).toBe("completed");
}
