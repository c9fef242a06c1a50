/**
 * Cross-process wake-up: a process that stores runs without running the loop (the web process beside
 * `npm run worker`) signals the workers through PostgreSQL LISTEN/NOTIFY, so a worker polling only once a
 * minute still starts the run at once. PGlite has a single process and no signals.
 */
import type { Inngest } from "inngest";
import { afterAll, expect, it } from "vitest";
import { getDatabase } from "@/server/db";
import { createTestEngine } from "@/tests/helpers/engine";

const started: number[] = [];
const functions = (client: Inngest) => [
  client.createFunction({ id: "signalled", retries: 0, triggers: [{ event: "test/signalled" }] }, async ({ step }) => {
    await step.run("note", () => started.push(Date.now()));
  }),
];

const stops: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const stop of stops) await stop();
});

it("wakes a worker at once when another process stores runs (PostgreSQL), and PGlite needs no signals", async () => {
  const database = await getDatabase();
  if (database.kind === "pglite") {
    expect(database.signals).toBeUndefined();
    return;
  }
  const signals = database.signals!;
  // The sender never starts its loop, like a web process with LOCAL_ENGINE=off.
  const sender = createTestEngine(functions, { signals, workerId: "web" });
  const worker = createTestEngine(functions, { signals, workerId: "worker", pollIntervalMs: 60_000 });
  await worker.engine.start();
  stops.push(() => worker.engine.stop({ timeoutMs: 2000 }));
  // Let the idle worker settle into its long poll.
  await new Promise((r) => setTimeout(r, 300));
  const sentAt = Date.now();
  const { runIds } = await sender.engine.enqueue([{ name: "test/signalled", data: {} }]);
  const run = await worker.engine.waitForRun(runIds[0]!, { timeoutMs: 5000 });
  expect(run.status).toBe("completed");
  expect(started[0]! - sentAt).toBeLessThan(1000);
});
