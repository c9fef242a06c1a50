/**
 * Two engines (two workers, each with its own lease owner) on one database: every run runs once, and a
 * concurrency limit per key holds across both.
 */
import type { Inngest } from "inngest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestEngine, sleep } from "@/tests/helpers/engine";

const executions = new Map<string, string[]>();
const active = new Map<string, number>();
let overLimit = 0;

function functionsFor(worker: string) {
  return (client: Inngest) => [
    client.createFunction(
      { id: "shared-work", retries: 1, concurrency: { key: "event.data.account", limit: 2 }, triggers: [{ event: "test/shared" }] },
      async ({ event, step }) => {
        const account = event.data.account as string;
        await step.run("work", async () => {
          const now = (active.get(account) ?? 0) + 1;
          active.set(account, now);
          if (now > 2) overLimit++;
          executions.set(event.data.n as string, [...(executions.get(event.data.n as string) ?? []), worker]);
          await sleep(25);
          active.set(account, (active.get(account) ?? 1) - 1);
        });
      },
    ),
  ];
}

// Two slots each: one worker alone cannot take all the work, so both must claim.
const one = createTestEngine(functionsFor("one"), { workerId: "worker-one", concurrency: 2 });
const two = createTestEngine(functionsFor("two"), { workerId: "worker-two", concurrency: 2 });

beforeAll(async () => {
  await Promise.all([one.engine.start(), two.engine.start()]);
});

afterAll(async () => {
  await Promise.all([one.engine.stop(), two.engine.stop()]);
});

describe("two workers on one database", () => {
  it("share the runs: each runs once, within the per-key limit across both workers", async () => {
    const events = Array.from({ length: 40 }, (_, i) => ({ name: "test/shared", data: { n: `n${i}`, account: i % 2 === 0 ? "even" : "odd" } }));
    const [first, second] = await Promise.all([one.engine.enqueue(events.slice(0, 20)), two.engine.enqueue(events.slice(20))]);
    expect(first.runIds.length + second.runIds.length).toBe(40);
    await Promise.all([one.engine.drain({ timeoutMs: 20_000 }), two.engine.drain({ timeoutMs: 20_000 })]);
    expect(executions.size).toBe(40);
    expect([...executions.values()].every((workers) => workers.length === 1)).toBe(true);
    expect(overLimit).toBe(0);
    const workers = new Set([...executions.values()].flat());
    expect(workers).toEqual(new Set(["one", "two"]));
    const runs = await one.engine.listRuns({ functionId: "engine-test-shared-work" });
    expect(runs.every((r) => r.status === "completed")).toBe(true);
  });
});
