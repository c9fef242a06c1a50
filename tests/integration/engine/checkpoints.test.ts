/**
 * Async checkpointing answered in-process (server/jobs/engine/checkpoints.ts): a run of several steps
 * completes in ONE call of the serve handler, each step is stored before the function moves past it, a
 * checkpoint of an execution that lost its lease is refused (the SDK stops there and nothing it answers is
 * applied), and a failed step still goes back to the engine's own retry.
 */
import type { Inngest } from "inngest";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { getDb } from "@/server/db";
import { createLocalEngine } from "@/server/jobs/engine";
import { answerCheckpoint, openCheckpoints } from "@/server/jobs/engine/checkpoints";
import { createServeEndpoint, type ServeEndpoint } from "@/server/jobs/engine/serve-endpoint";
import { createTestClient, eventually } from "@/tests/helpers/engine";

function gate() {
  let open: () => void = () => undefined;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
}

const state = {
  calls: [] as { fnId: string; stepId: string }[],
  ran: [] as string[],
  hold: gate(),
  holding: false,
  flakyAttempts: 0,
};

function testFunctions(client: Inngest) {
  return [
    client.createFunction({ id: "three-steps", retries: 0, triggers: [{ event: "test/three-steps" }] }, async ({ step }) => {
      const a = await step.run("a", () => (state.ran.push("a"), "a"));
      const b = await step.run("b", () => (state.ran.push("b"), "b"));
      const c = await step.run("c", () => (state.ran.push("c"), "c"));
      return a + b + c;
    }),
    client.createFunction({ id: "held", retries: 0, triggers: [{ event: "test/held" }] }, async ({ step }) => {
      await step.run("first", () => state.ran.push("first"));
      await step.run("second", async () => {
        state.holding = true;
        await state.hold.opened;
        state.ran.push("second");
      });
      await step.run("third", () => state.ran.push("third"));
      return "done";
    }),
    client.createFunction({ id: "flaky-step", retries: 2, triggers: [{ event: "test/flaky-step" }] }, async ({ step }) => {
      await step.run("ok", () => "ok");
      return step.run("flaky", () => {
        if (++state.flakyAttempts === 1) throw new Error("first try fails");
        return "recovered";
      });
    }),
  ];
}

const ref: { engine?: ReturnType<typeof createLocalEngine> } = {};
const client = createTestClient(async (events) => (await ref.engine!.enqueue(events)).ids, "checkpoint-test");
const functions = testFunctions(client);
const real = createServeEndpoint(client, functions);
const endpoint: ServeEndpoint = {
  PUT: (request) => real.PUT(request),
  POST: (request) => {
    const url = new URL(request.url);
    state.calls.push({ fnId: url.searchParams.get("fnId") ?? "", stepId: url.searchParams.get("stepId") ?? "" });
    return real.POST(request);
  },
};
const engine = createLocalEngine({ client, functions, endpoint, backoff: () => 20, pollIntervalMs: 50 });
ref.engine = engine;

const callsOf = (fnId: string) => state.calls.filter((c) => c.fnId === `checkpoint-test-${fnId}`);

beforeEach(async () => {
  state.ran = [];
  await engine.start();
});

afterEach(async () => {
  await engine.stop();
});

describe("local engine: in-process checkpoints", () => {
  it("completes a run of three steps in one call of the serve handler, each step stored", async () => {
    const { runIds } = await engine.enqueue([{ name: "test/three-steps", data: {} }]);
    const run = await engine.waitForRun(runIds[0]!);
    expect(run).toMatchObject({ status: "completed", output: "abc" });
    expect(Object.values(run.steps)).toEqual([{ data: "a" }, { data: "b" }, { data: "c" }]);
    expect(run.stack).toHaveLength(3);
    expect(state.ran).toEqual(["a", "b", "c"]);
    expect(callsOf("three-steps")).toEqual([{ fnId: "checkpoint-test-three-steps", stepId: "step" }]);
  });

  it("stores each step before the function moves on, and refuses the checkpoint of an execution whose lease was taken", async () => {
    const { runIds } = await engine.enqueue([{ name: "test/held", data: {} }]);
    const runId = runIds[0]!;
    await eventually(() => state.holding);
    // Mid-call, the first step is already in the database.
    const during = await engine.getRun(runId);
    expect(Object.values(during!.steps)).toEqual([{ data: 1 }]);
    expect(during!.status).toBe("running");

    // A second worker takes the run over (as after a lapsed lease): this execution's next checkpoint is refused.
    const db = await getDb();
    await db.$executeRaw`UPDATE "JobRun" SET "leaseOwner" = 'thief#token' WHERE id = ${runId}::uuid`;
    state.hold.open();
    await eventually(() => state.ran.includes("second"));
    // The SDK stopped at the refused checkpoint: the third step never ran, and nothing was written over the thief's lease.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(state.ran).toEqual(["first", "second"]);
    const after = await engine.getRun(runId);
    expect(after).toMatchObject({ status: "running", leaseOwner: "thief" });
    expect(Object.keys(after!.steps)).toHaveLength(1);
  });

  it("hands a failed step to the engine's retry, and checkpoints again on the retry's discovery", async () => {
    const { runIds } = await engine.enqueue([{ name: "test/flaky-step", data: {} }]);
    const run = await engine.waitForRun(runIds[0]!);
    expect(run).toMatchObject({ status: "completed", output: "recovered" });
    expect(state.flakyAttempts).toBe(2);
    // First call: "ok" checkpointed, "flaky" threw (answered as a StepError); second call: the retry of "flaky".
    expect(callsOf("flaky-step").length).toBeLessThanOrEqual(3);
    expect(Object.values(run.steps)).toEqual([{ data: "ok" }, { data: "recovered" }]);
  });

  it("answers a checkpoint for no call in flight 409, malformed steps or ops it does not take 400", async () => {
    expect((await answerCheckpoint({ qi_id: "not-a-call", steps: [] })).status).toBe(409);
    expect((await answerCheckpoint(null)).status).toBe(409);
    const received: unknown[] = [];
    const close = openCheckpoints("a-call", async (steps) => (received.push(steps), steps.every((s) => s.op === "StepRun") ? "stored" : "refused"));
    try {
      expect((await answerCheckpoint({ qi_id: "a-call", steps: "nope" })).status).toBe(400);
      expect((await answerCheckpoint({ qi_id: "a-call", steps: [{ op: "StepRun" }] })).status).toBe(400);
      expect((await answerCheckpoint({ qi_id: "a-call", steps: [{ id: "s", op: "Sleep" }] })).status).toBe(400);
      expect((await answerCheckpoint({ qi_id: "a-call", steps: [{ id: "s", op: "StepRun", data: 1 }] })).status).toBe(200);
      expect(received).toHaveLength(2);
    } finally {
      close();
    }
    expect((await answerCheckpoint({ qi_id: "a-call", steps: [{ id: "s", op: "StepRun", data: 1 }] })).status).toBe(409);
  });
});
