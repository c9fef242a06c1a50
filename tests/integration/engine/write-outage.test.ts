/**
 * A database outage right after a step: the step's result is kept and written once the database answers
 * again, so the step does not run a second time — even when the outage outlasts the lease (this process's
 * lease recovery leaves a run it is still driving alone). Once the engine has stopped, the write is given up.
 *
 * The outage is the database's own: a trigger fails every UPDATE of "JobRun" (the run writes, lease renewals
 * and recovery, claims) with SQLSTATE 08006, connection_failure, and counts the attempts in a sequence.
 */
import type { Inngest } from "inngest";
import { afterEach, describe, expect, it } from "vitest";
import { getDb } from "@/server/db";
import { setLogSink } from "@/server/lib/logger";
import { createTestEngine, eventually, sleep } from "@/tests/helpers/engine";

function gate() {
  let open: () => void = () => undefined;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
}

const calls = { one: [] as string[], two: [] as string[] };
const gates = { first: gate(), second: gate() };

function functions(client: Inngest) {
  return [
    client.createFunction({ id: "outage", retries: 0, triggers: [{ event: "test/outage" }] }, async ({ event, step }) => {
      const label = (event.data as { label: "first" | "second" }).label;
      const one = await step.run("one", async () => {
        calls.one.push(label);
        await gates[label].opened;
        return `one-${label}`;
      });
      await step.run("two", () => {
        calls.two.push(label);
      });
      return one;
    }),
  ];
}

async function startOutage(): Promise<void> {
  const db = await getDb();
  await db.$executeRawUnsafe(`CREATE SEQUENCE IF NOT EXISTS test_outage_writes`);
  await db.$executeRawUnsafe(`
    CREATE OR REPLACE FUNCTION test_outage() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      PERFORM nextval('test_outage_writes');
      RAISE EXCEPTION 'the database is away (test outage)' USING ERRCODE = '08006';
    END $$`);
  await db.$executeRawUnsafe(`CREATE TRIGGER test_outage BEFORE UPDATE ON "JobRun" FOR EACH ROW EXECUTE FUNCTION test_outage()`);
}

async function endOutage(): Promise<void> {
  const db = await getDb();
  await db.$executeRawUnsafe(`DROP TRIGGER IF EXISTS test_outage ON "JobRun"`);
}

async function failedUpdates(): Promise<number> {
  const db = await getDb();
  const [row] = await db.$queryRaw<{ n: bigint }[]>`SELECT last_value AS n FROM test_outage_writes`;
  return Number(row!.n);
}

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe("local engine: a database outage after a step", () => {
  it("stores the step result once the database is back, past the lease, and gives up only once the engine stopped", { timeout: 60_000 }, async () => {
    const lines: string[] = [];
    cleanups.push(setLogSink((line) => lines.push(line), "warn"));
    cleanups.push(endOutage);
    const db = await getDb();
    const { engine } = createTestEngine(functions, { workerId: "outage-worker", leaseMs: 1_000 });
    await engine.start();
    cleanups.push(() => engine.stop({ timeoutMs: 1_000 }));

    const first = (await engine.enqueue([{ name: "test/outage", data: { label: "first" } }])).runIds[0]!;
    await eventually(() => calls.one.length === 1);
    await startOutage();
    gates.first.open();
    // Longer than the writer's old ~3 s of retries, and than the 1 s lease.
    await eventually(async () => (await failedUpdates()) >= 2);
    await sleep(4_500);
    const [lapsed] = await db.$queryRaw<{ lapsed: boolean }[]>`
      SELECT "leaseUntil" < (statement_timestamp() AT TIME ZONE 'UTC') AS lapsed FROM "JobRun" WHERE id = ${first}::uuid`;
    expect(lapsed!.lapsed).toBe(true);
    await endOutage();

    const run = await engine.waitForRun(first, { timeoutMs: 15_000 });
    expect(run).toMatchObject({ status: "completed", output: "one-first" });
    // Step one ran once: its result waited in memory through the outage instead of being run again.
    expect(calls.one).toEqual(["first"]);
    expect(calls.two).toEqual(["first"]);

    // A stopped engine does not keep trying: the write is given up and the run left to lease recovery.
    const second = (await engine.enqueue([{ name: "test/outage", data: { label: "second" } }])).runIds[0]!;
    await eventually(() => calls.one.length === 2);
    await startOutage();
    const before = await failedUpdates();
    gates.second.open();
    await eventually(async () => (await failedUpdates()) >= before + 2);
    await engine.stop({ timeoutMs: 300 });
    await eventually(() => lines.some((l) => l.includes("leaving it to lease recovery") && l.includes(second)), 10_000);
    const settled = await failedUpdates();
    await sleep(1_500);
    expect(await failedUpdates()).toBe(settled);
    expect(calls.two).toEqual(["first"]);
  });
});
