/** Graceful stop (the call in flight finishes, the run is handed back) and cancellation. */
import type { Inngest } from "inngest";
import { describe, expect, it } from "vitest";
import { createTestEngine, eventually } from "@/tests/helpers/engine";

const ran: string[] = [];
let releaseStep: (() => void) | undefined;
const stepStarted = { value: false };

function functions(client: Inngest) {
  return [
    client.createFunction({ id: "slow-step", retries: 1, triggers: [{ event: "test/slow" }] }, async ({ step }) => {
      await step.run("slow", async () => {
        ran.push("slow");
        stepStarted.value = true;
        await new Promise<void>((resolve) => (releaseStep = resolve));
      });
      await step.run("after", () => ran.push("after"));
      return "done";
    }),
    client.createFunction({ id: "long-sleep", retries: 0, triggers: [{ event: "test/long-sleep" }] }, async ({ step }) => {
      await step.sleep("wait", "1h");
      await step.run("never", () => ran.push("never"));
    }),
  ];
}

describe("stopping the engine", () => {
  it("lets the call in flight finish, hands the run back, and another engine resumes it from there", async () => {
    const first = createTestEngine(functions, { workerId: "first" });
    await first.engine.start();
    const { runIds } = await first.engine.enqueue([{ name: "test/slow", data: {} }]);
    const runId = runIds[0]!;
    await eventually(() => stepStarted.value);

    const stopped = first.engine.stop({ timeoutMs: 10_000 });
    releaseStep?.();
    await stopped;
    const handedBack = await first.engine.getRun(runId);
    expect(handedBack).toMatchObject({ status: "queued", leaseOwner: null });
    expect(Object.keys(handedBack!.steps)).toHaveLength(1);

    const second = createTestEngine(functions, { workerId: "second" });
    await second.engine.start();
    try {
      const run = await second.engine.waitForRun(runId);
      expect(run.status).toBe("completed");
      expect(ran.filter((r) => r === "slow")).toHaveLength(1);
      expect(ran.filter((r) => r === "after")).toHaveLength(1);
    } finally {
      await second.engine.stop();
    }
  });
});

describe("cancelling a run", () => {
  it("stops a sleeping run for good", async () => {
    const { engine } = createTestEngine(functions);
    await engine.start();
    try {
      const { runIds } = await engine.enqueue([{ name: "test/long-sleep", data: {} }]);
      const runId = runIds[0]!;
      await eventually(async () => (await engine.getRun(runId))?.pending.some((p) => p.op === "Sleep"));
      // Sleeping is not due work: drain does not wait for it.
      await engine.drain({ timeoutMs: 5_000 });
      expect(await engine.cancelRun(runId)).toBe(true);
      expect(await engine.cancelRun(runId)).toBe(false);
      const run = await engine.getRun(runId);
      expect(run?.status).toBe("cancelled");
      expect(run?.finishedAt).not.toBeNull();
      await engine.drain({ timeoutMs: 5_000, includeDelayed: true });
      expect(ran).not.toContain("never");
    } finally {
      await engine.stop();
    }
  });
});
