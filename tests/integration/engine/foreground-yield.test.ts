/**
 * The loop gives way to the API in its own process (foreground-yield.ts): while a crowd of foreground
 * requests meets a saturated event loop it drives at most its floor of runs, and its full concurrency once
 * they are gone. The saturation is real (a busy loop in this thread), and so is the engine (PGlite or
 * PostgreSQL).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { takeForegroundPeak } from "@/server/lib/foreground";
import { asForeground, createTestEngine, eventually, saturateEventLoop, sleep } from "@/tests/helpers/engine";

let active = 0;
let peak = 0;
let completed = 0;

const { engine } = createTestEngine(
  (inngest) => [
    inngest.createFunction({ id: "slow", retries: 0, triggers: [{ event: "test/slow" }] }, async ({ step }) => {
      await step.run("work", async () => {
        peak = Math.max(peak, ++active);
        await sleep(100);
        active--;
        completed++;
      });
    }),
  ],
  { concurrency: 8, yieldFloor: 2, foreground: takeForegroundPeak },
);

const slowEvents = (n: number) => Array.from({ length: n }, () => ({ name: "test/slow", data: {} }));

beforeAll(async () => {
  // Exclusive, as on PGlite (one process): claimed runs beyond the floor wait here, leased.
  await engine.start({ exclusive: true });
});

afterAll(async () => {
  await engine.stop();
});

beforeEach(async () => {
  await engine.drain();
  peak = 0;
  completed = 0;
});

describe("local engine: yielding to foreground requests", () => {
  it("drives at most its floor while a crowd of requests meets a saturated event loop, and keeps delivering", async () => {
    const busy = saturateEventLoop();
    const crowd = Array.from({ length: 6 }, () => asForeground(() => busy.done));
    try {
      await sleep(300);
      await engine.enqueue(slowEvents(24));
      await sleep(1_000);
      expect(peak).toBeGreaterThan(0);
      expect(peak).toBeLessThanOrEqual(2);
      expect(completed).toBeGreaterThan(0);
      // The runs waiting for a slot are claimed and leased, not back in the queue.
      const runs = await engine.listRuns({ functionId: "engine-test-slow", status: "running" });
      expect(runs.length).toBeGreaterThan(2);
    } finally {
      busy.stop();
      await Promise.all(crowd);
    }
    // The burst is over: the loop claims up to its concurrency again.
    peak = 0;
    await eventually(() => peak === 8 || completed === 24, 5_000);
    expect(peak).toBe(8);
    await engine.drain();
    expect(completed).toBe(24);
  });

  it("does not yield to a saturated event loop without foreground requests", async () => {
    const busy = saturateEventLoop();
    try {
      await sleep(300);
      await engine.enqueue(slowEvents(16));
      await eventually(() => peak === 8 || completed === 16, 5_000);
    } finally {
      busy.stop();
      await busy.done;
    }
    expect(peak).toBe(8);
    await engine.drain();
  });

  it("does not yield to one request at a time (a client polling a status) at a saturated event loop", async () => {
    const busy = saturateEventLoop();
    let polling = true;
    const poller = (async () => {
      while (polling) await asForeground(() => sleep(20));
    })();
    try {
      await sleep(300);
      await engine.enqueue(slowEvents(16));
      await eventually(() => peak === 8 || completed === 16, 5_000);
    } finally {
      polling = false;
      busy.stop();
      await Promise.all([busy.done, poller]);
    }
    expect(peak).toBe(8);
    await engine.drain();
  });

  it("does not yield to a crowd of requests at an idle event loop (I/O-bound delivery)", async () => {
    const crowd = Array.from({ length: 6 }, () => asForeground(() => sleep(1_500)));
    await sleep(300);
    await engine.enqueue(slowEvents(16));
    await eventually(() => peak === 8 || completed === 16, 5_000);
    expect(peak).toBe(8);
    await Promise.all(crowd);
    await engine.drain();
  });
});
