/**
 * The local engine driving real Inngest functions through the SDK's serve handler, on the test database:
 * memoized steps, step retries with backoff, failures and onFailure, sleeps, parallel steps.
 */
import { type Inngest, NonRetriableError } from "inngest";
import { InngestTestEngine } from "@inngest/test";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestEngine } from "@/tests/helpers/engine";

const calls: Record<string, number> = {};
const count = (key: string) => (calls[key] = (calls[key] ?? 0) + 1);
const backoffs: number[] = [];
const attemptTimes: number[] = [];
const failures: { message: string; data: unknown }[] = [];

/** Declared apart from createTestEngine's call: inside its callback, contextual typing hides onFailure's argument types. */
function testFunctions(inngest: Inngest) {
  return [
    inngest.createFunction({ id: "three-steps", retries: 2, triggers: [{ event: "test/three" }] }, async ({ event, step }) => {
      const a = await step.run("a", () => count(`a:${event.data.tag}`) && 1);
      const b = await step.run("b", () => count(`b:${event.data.tag}`) && a + 1);
      const c = await step.run("c", () => count(`c:${event.data.tag}`) && b + 1);
      return { sum: a + b + c };
    }),
    inngest.createFunction({ id: "flaky-step", retries: 3, triggers: [{ event: "test/flaky" }] }, async ({ step }) => {
      return step.run("flaky", () => {
        attemptTimes.push(Date.now());
        if (count("flaky") < 3) throw new Error("not yet");
        return "finally";
      });
    }),
    inngest.createFunction(
      {
        id: "always-fails",
        retries: 2,
        triggers: [{ event: "test/fails" }],
        onFailure: async ({ event, error, step }) => {
          await step.run("record", () => failures.push({ message: error.message, data: event.data.event.data }));
        },
      },
      async ({ step }) => {
        await step.run("doomed", () => {
          count("doomed");
          throw new Error("provider exploded");
        });
      },
    ),
    inngest.createFunction(
      {
        id: "non-retriable",
        retries: 4,
        triggers: [{ event: "test/bad-input" }],
        onFailure: async ({ error, step }) => {
          await step.run("record", () => failures.push({ message: error.message, data: "non-retriable" }));
        },
      },
      async ({ step }) => {
        await step.run("validate", () => {
          count("validate");
          throw new NonRetriableError("bad input");
        });
      },
    ),
    inngest.createFunction({ id: "body-throws-once", retries: 2, triggers: [{ event: "test/body" }] }, async ({ step }) => {
      const value = await step.run("before", () => count("before"));
      // Outside any step: the function body itself throws, and the call is retried.
      if (count("body") === 1) throw new Error("transient body failure");
      return value;
    }),
    inngest.createFunction({ id: "sleeper", retries: 1, triggers: [{ event: "test/sleep" }] }, async ({ step }) => {
      const before = await step.run("before", () => Date.now());
      await step.sleep("nap", "1s");
      const after = await step.run("after", () => Date.now());
      return { slept: after - before };
    }),
    inngest.createFunction({ id: "fan-out", retries: 1, triggers: [{ event: "test/parallel" }] }, async ({ step }) => {
      const parts = await Promise.all([1, 2, 3].map((n) => step.run(`part-${n}`, () => count(`part-${n}`) && n * 10)));
      const total = await step.run("total", () => count("total") && parts.reduce((x, y) => x + y, 0));
      return { parts, total };
    }),
    inngest.createFunction({ id: "waits-for-event", retries: 0, triggers: [{ event: "test/wait" }] }, async ({ step }) => {
      try {
        await step.waitForEvent("approval", { event: "test/approved", timeout: "1h" });
        return "waited";
      } catch (error) {
        return (error as Error).message;
      }
    }),
  ];
}

const { engine, client } = createTestEngine(testFunctions, { backoff: (attempt) => (backoffs.push(attempt), 40) });

beforeAll(async () => {
  await engine.start();
});

afterAll(async () => {
  await engine.stop();
});

async function runFor(name: string, data: Record<string, unknown> = {}) {
  const { runIds } = await engine.enqueue([{ name, data }]);
  expect(runIds).toHaveLength(1);
  return engine.waitForRun(runIds[0]!, { timeoutMs: 15_000 });
}

describe("local engine: steps", () => {
  it("runs a multi-step function to completion, each step body exactly once", async () => {
    const run = await runFor("test/three", { tag: "x" });
    expect(run.status).toBe("completed");
    expect(run.output).toEqual({ sum: 6 });
    expect([calls["a:x"], calls["b:x"], calls["c:x"]]).toEqual([1, 1, 1]);
    expect(Object.keys(run.steps)).toHaveLength(3);
    expect(run.stack).toHaveLength(3);
    expect(Object.values(run.steps)).toEqual(expect.arrayContaining([{ data: 1 }, { data: 2 }, { data: 3 }]));
    expect(run.finishedAt).not.toBeNull();
  });

  it("runs many runs in parallel", async () => {
    const events = Array.from({ length: 40 }, (_, i) => ({ name: "test/three", data: { tag: `p${i}` } }));
    const { runIds } = await engine.enqueue(events);
    expect(runIds).toHaveLength(40);
    await engine.drain({ timeoutMs: 20_000 });
    const runs = await Promise.all(runIds.map((id) => engine.getRun(id)));
    expect(runs.every((r) => r?.status === "completed")).toBe(true);
    expect(events.every((e) => calls[`c:${e.data.tag}`] === 1)).toBe(true);
  });

  it("retries a failing step with backoff, then succeeds", async () => {
    backoffs.length = 0;
    const run = await runFor("test/flaky");
    expect(run.status).toBe("completed");
    expect(run.output).toBe("finally");
    expect(calls.flaky).toBe(3);
    expect(backoffs).toEqual([0, 1]);
    expect(attemptTimes[1]! - attemptTimes[0]!).toBeGreaterThanOrEqual(35);
    expect(attemptTimes[2]! - attemptTimes[1]!).toBeGreaterThanOrEqual(35);
  });

  it("fails the run when retries are exhausted and runs onFailure with the error", async () => {
    const run = await runFor("test/fails", { email_id: "e-1" });
    expect(run.status).toBe("failed");
    expect(run.error?.message).toBe("provider exploded");
    // retries: 2 → three attempts of the step.
    expect(calls.doomed).toBe(3);
    const [failureRun] = await engine.listRuns({ eventId: `failure:${run.id}` });
    expect(failureRun?.functionId).toBe("engine-test-always-fails-failure");
    expect((await engine.waitForRun(failureRun!.id)).status).toBe("completed");
    expect(failures).toContainEqual({ message: "provider exploded", data: { email_id: "e-1" } });
  });

  it("does not retry a NonRetriableError, and runs onFailure", async () => {
    const run = await runFor("test/bad-input");
    expect(run.status).toBe("failed");
    expect(run.error?.message).toBe("bad input");
    expect(calls.validate).toBe(1);
    const [failureRun] = await engine.listRuns({ eventId: `failure:${run.id}` });
    await engine.waitForRun(failureRun!.id);
    expect(failures).toContainEqual({ message: "bad input", data: "non-retriable" });
  });

  it("retries the function body when it throws outside a step, without re-running memoized steps", async () => {
    const run = await runFor("test/body");
    expect(run.status).toBe("completed");
    expect(run.output).toBe(1);
    expect(calls.before).toBe(1);
    expect(calls.body).toBe(2);
  });

  it("sleeps for step.sleep's duration, releasing the run meanwhile", async () => {
    const { runIds } = await engine.enqueue([{ name: "test/sleep", data: {} }]);
    const runId = runIds[0]!;
    // While it sleeps the run is handed back (queued, due later) and holds no lease.
    const sleeping = await (async () => {
      for (;;) {
        const run = await engine.getRun(runId);
        if (run?.pending.some((p) => p.op === "Sleep") && run.status === "queued") return run;
        await new Promise((r) => setTimeout(r, 20));
      }
    })();
    expect(sleeping.leaseOwner).toBeNull();
    const run = await engine.waitForRun(runId);
    expect(run.status).toBe("completed");
    const { slept } = run.output as { slept: number };
    expect(slept).toBeGreaterThanOrEqual(950);
    expect(slept).toBeLessThan(5_000);
  });

  it("runs parallel steps (Promise.all of step.run), each once, then the steps after them", async () => {
    const run = await runFor("test/parallel");
    expect(run.status).toBe("completed");
    expect(run.output).toEqual({ parts: [10, 20, 30], total: 60 });
    expect([calls["part-1"], calls["part-2"], calls["part-3"], calls.total]).toEqual([1, 1, 1, 1]);
    expect(run.stack).toHaveLength(4);
  });

  it("memoizes step.waitForEvent as an unsupported-step error the function can catch", async () => {
    const run = await runFor("test/wait");
    expect(run.status).toBe("completed");
    expect(run.output).toMatch(/step\.waitForEvent .* not supported by the CourierX local engine/);
  });
});

describe("the same kind of function under @inngest/test", () => {
  it("executes to the same result", async () => {
    const fn = client.createFunction({ id: "unit-three-steps", retries: 0, triggers: [{ event: "test/unit" }] }, async ({ step }) => {
      const a = await step.run("a", () => 1);
      const b = await step.run("b", () => a + 1);
      const c = await step.run("c", () => b + 1);
      return { sum: a + b + c };
    });
    const t = new InngestTestEngine({ function: fn, events: [{ name: "test/unit", data: {} }] });
    const { result } = await t.execute();
    expect(result).toEqual({ sum: 6 });
  });
});
