/**
 * The scheduler below its concurrency (server/jobs/engine/run-loop.ts `capacity`): it drives at most its
 * capacity; an exclusive loop (PGlite) still claims full batches and holds the rest, leased, for a slot; a loop
 * beside other workers leases at most one refill batch beyond its capacity and leaves the rest queued.
 * The queue here is the scheduler's own input (its claim callback), counted as it hands runs out.
 */
import { afterEach, describe, expect, it } from "vitest";
import { RunLoop, type RunLoopOptions } from "@/server/jobs/engine/run-loop";
import type { ClaimedRun } from "@/server/jobs/engine/run-types";
import { eventually, sleep } from "@/tests/helpers/engine";

function queueOf(n: number) {
  const queue = Array.from({ length: n }, (_, i) => ({ id: `run-${i}`, lease: `lease-${i}` }) as ClaimedRun);
  const figures = { leased: 0, mostLeased: 0, driving: 0, mostDriving: 0, done: 0, claims: [] as number[] };
  const options: Omit<RunLoopOptions, "concurrency" | "capacity" | "holdBeyondCapacity"> = {
    pollIntervalMs: 20,
    leaseMs: 30_000,
    claim: async (batch) => {
      figures.claims.push(batch);
      const runs = queue.splice(0, batch);
      figures.leased += runs.length;
      figures.mostLeased = Math.max(figures.mostLeased, figures.leased);
      return runs;
    },
    execute: async () => {
      figures.mostDriving = Math.max(figures.mostDriving, ++figures.driving);
      await sleep(20);
      figures.driving--;
      figures.leased--;
      figures.done++;
    },
    hasConcurrencyLimit: () => false,
    renewLeases: async () => undefined,
    recoverLeases: async () => 0,
  };
  return { queue, figures, options };
}

let loop: RunLoop | undefined;

/** Drives a queue of `n` runs through a loop with these settings to the end; returns the figures. */
async function driveAll(n: number, settings: Pick<RunLoopOptions, "concurrency" | "capacity" | "holdBeyondCapacity">) {
  const { figures, options } = queueOf(n);
  loop = new RunLoop({ ...options, ...settings });
  loop.start();
  loop.wake();
  await eventually(() => figures.done === n);
  return figures;
}
afterEach(async () => {
  await loop?.stop(5_000);
  loop = undefined;
});

describe("run loop below its concurrency", () => {
  it("exclusive: claims full batches, drives at most its capacity, holds the rest leased", async () => {
    const figures = await driveAll(40, { concurrency: 8, capacity: () => 2, holdBeyondCapacity: true });
    expect(figures.mostDriving).toBe(2);
    expect(figures.mostLeased).toBe(8);
  });

  it("beside other workers: leases at most its capacity plus one refill batch", async () => {
    const figures = await driveAll(40, { concurrency: 8, capacity: () => 2, holdBeyondCapacity: false });
    expect(figures.mostDriving).toBe(2);
    expect(figures.mostLeased).toBeLessThanOrEqual(4);
    // Claims stay batched: a refill batch (8 / 4 = 2 runs), not one claim per finished run.
    expect(Math.min(...figures.claims.slice(1, -1))).toBeGreaterThanOrEqual(2);
  });

  it("at full capacity: drives its concurrency", async () => {
    const figures = await driveAll(40, { concurrency: 8 });
    expect(figures.mostDriving).toBe(8);
  });

  it("hands held runs to their executors when stopped, and stop does not wait on a slot", async () => {
    const { figures, options } = queueOf(8);
    let executed = 0;
    const started = new Promise<void>((resolve) => {
      loop = new RunLoop({
        ...options,
        concurrency: 8,
        capacity: () => 1,
        holdBeyondCapacity: true,
        execute: async (run) => {
          executed++;
          resolve();
          await options.execute(run);
        },
      });
    });
    loop!.start();
    loop!.wake();
    await started;
    expect(figures.mostLeased).toBe(8);
    await loop!.stop(5_000);
    // Every claimed run reached an executor (which, stopping, hands it back): none is left leased and forgotten.
    expect(executed).toBe(8);
    expect(figures.leased).toBe(0);
  });
});
