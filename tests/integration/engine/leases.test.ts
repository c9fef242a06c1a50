/**
 * Leases: every claim holds its own lease (worker id + a fresh token), so an execution whose lease lapsed
 * cannot write once the run was claimed again — not even by the same worker; and leases are written and
 * compared on the database clock, whatever this process's clock says.
 */
import type { Inngest } from "inngest";
import { afterEach, describe, expect, it, vi } from "vitest";
import { getDb } from "@/server/db";
import { setLogSink } from "@/server/lib/logger";
import { createTestEngine, eventually, sleep } from "@/tests/helpers/engine";

function gate() {
  let open: () => void = () => undefined;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
}

const fenced = { first: gate(), second: gate(), oneCalls: 0, twoCalls: [] as string[] };
const clocked = { release: gate(), started: false, heldCalls: 0 };

function functions(client: Inngest) {
  return [
    client.createFunction({ id: "fenced", retries: 0, triggers: [{ event: "test/fenced" }] }, async ({ step }) => {
      const one = await step.run("one", async () => {
        const n = ++fenced.oneCalls;
        if (n === 1) await fenced.first.opened;
        return `exec-${n}`;
      });
      await step.run("two", async () => {
        fenced.twoCalls.push(one);
        if (fenced.twoCalls.length === 1) await fenced.second.opened;
      });
      return one;
    }),
    client.createFunction({ id: "clocked", retries: 0, triggers: [{ event: "test/clocked" }] }, async ({ step }) => {
      await step.run("wait", async () => {
        clocked.started = true;
        await clocked.release.opened;
      });
      return "done";
    }),
    client.createFunction({ id: "held", retries: 0, triggers: [{ event: "test/held" }] }, async ({ step }) => {
      await step.run("work", () => ++clocked.heldCalls);
    }),
  ];
}

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe("local engine: leases", () => {
  it("fences a stale execution: after its lease lapsed and the run was claimed again by the same worker, it cannot write", async () => {
    const lines: string[] = [];
    cleanups.push(setLogSink((line) => lines.push(line), "warn"));
    const { engine } = createTestEngine(functions, { workerId: "restarted-worker", leaseMs: 1_000 });
    await engine.start();
    cleanups.push(() => engine.stop({ timeoutMs: 5_000 }));
    const { runIds } = await engine.enqueue([{ name: "test/fenced", data: {} }]);
    const runId = runIds[0]!;
    await eventually(() => fenced.oneCalls === 1);

    // A stop that times out leaves the call running and its lease to lapse (no more heartbeats); the
    // restarted loop, same worker id, takes the run over once the lease lapsed and runs it again.
    await engine.stop({ timeoutMs: 50 });
    await engine.start();
    await eventually(() => fenced.twoCalls.length === 1);
    expect(fenced.oneCalls).toBe(2);

    // The first execution's step now answers: its write must not land (it would also release the run).
    fenced.first.open();
    await eventually(() => lines.some((l) => l.includes("lease lost")) || fenced.twoCalls.length > 1, 10_000);
    const during = await engine.getRun(runId);
    expect(during).toMatchObject({ status: "running", leaseOwner: "restarted-worker" });
    expect(Object.values(during!.steps)).toEqual([{ data: "exec-2" }]);

    fenced.second.open();
    const run = await engine.waitForRun(runId);
    expect(run.status).toBe("completed");
    expect(run.output).toBe("exec-2");
    // Step two ran once: the stale execution neither continued the run nor handed it back to run again.
    expect(fenced.twoCalls).toEqual(["exec-2"]);
  });

  it("writes and compares leases on the database clock when this process's clock runs an hour ahead", async () => {
    const HOUR = 3_600_000;
    const db = await getDb();
    const { engine } = createTestEngine(functions, { workerId: "clock-ahead", leaseMs: 1_000 });
    // A run that a live worker elsewhere holds for ten more minutes, by the database's clock.
    const held = (await engine.enqueue([{ name: "test/held", data: {} }])).runIds[0]!;
    await db.$executeRaw`
      UPDATE "JobRun" SET status = 'running', "leaseOwner" = 'elsewhere#t', "leaseUntil" = (now() AT TIME ZONE 'UTC') + interval '10 minutes'
      WHERE id = ${held}::uuid`;

    vi.useFakeTimers({ toFake: ["Date"], now: Date.now() + HOUR, shouldAdvanceTime: true });
    cleanups.push(() => {
      vi.useRealTimers();
    });
    // PGlite runs inside this process and reads the same (now lying) clock; PostgreSQL keeps the true time.
    const [clock] = await db.$queryRaw<{ now: Date }[]>`SELECT (statement_timestamp() AT TIME ZONE 'UTC') AS now`;
    const trueNow = performance.timeOrigin + performance.now();
    const databaseJumped = Math.abs(clock!.now.getTime() - trueNow - HOUR) < 60_000;
    expect(databaseJumped || Math.abs(clock!.now.getTime() - trueNow) < 60_000).toBe(true);

    await engine.start();
    cleanups.push(() => engine.stop({ timeoutMs: 5_000 }));
    const quick = (await engine.enqueue([{ name: "test/clocked", data: {} }])).runIds[0]!;
    await eventually(() => clocked.started);
    // The claim's lease is the lease time from the database's now, not from this process's.
    const [lease] = await db.$queryRaw<{ ms: number }[]>`
      SELECT (extract(epoch FROM "leaseUntil" - (statement_timestamp() AT TIME ZONE 'UTC')) * 1000)::int AS ms FROM "JobRun" WHERE id = ${quick}::uuid`;
    expect(lease!.ms).toBeGreaterThan(0);
    expect(lease!.ms).toBeLessThanOrEqual(1_000);
    clocked.release.open();
    expect((await engine.waitForRun(quick)).status).toBe("completed");

    // Several recovery rounds (every 500 ms): a lease live by the database's clock is left alone.
    await sleep(1_600);
    const heldRun = await engine.getRun(held);
    if (databaseJumped) {
      // For PGlite the hour did pass, so the other worker's lease did lapse: recovered and run here.
      expect((await engine.waitForRun(held)).status).toBe("completed");
      expect(clocked.heldCalls).toBe(1);
    } else {
      expect(heldRun).toMatchObject({ status: "running", leaseOwner: "elsewhere" });
      expect(clocked.heldCalls).toBe(0);
    }
  });
});
