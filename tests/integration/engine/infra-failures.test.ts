/**
 * Infrastructure failures (the serve handler answering 5xx or garbage) spend no attempt, but they are
 * capped: after `maxInfraFailures` in a row the run fails and its onFailure runs. The count is stored on
 * the run and any real answer resets it.
 */
import type { Inngest } from "inngest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLocalEngine, type LocalEngine } from "@/server/jobs/engine";
import { createServeEndpoint, type ServeEndpoint } from "@/server/jobs/engine/serve-endpoint";
import { createTestClient } from "@/tests/helpers/engine";

const calls = { broken: 0, flaky: 0 };
const failures: string[] = [];

function testFunctions(client: Inngest) {
  return [
    client.createFunction(
      {
        id: "broken-infra",
        retries: 2,
        triggers: [{ event: "test/broken-infra" }],
        onFailure: async ({ error, step }) => {
          await step.run("record", () => failures.push(error.message));
        },
      },
      async () => "never reached",
    ),
    client.createFunction({ id: "flaky-infra", retries: 0, triggers: [{ event: "test/flaky-infra" }] }, async ({ step }) => {
      // The sleep ends the first call (a step run inline and checkpointed, then Sleep): two real answers in all.
      const a = await step.run("a", () => "a");
      await step.sleep("pause", "1s");
      const b = await step.run("b", () => "b");
      return a + b;
    }),
  ];
}

const MAX_INFRA_FAILURES = 3;
const ref: { engine?: LocalEngine } = {};
const client = createTestClient(async (events) => (await ref.engine!.enqueue(events)).ids);
const functions = testFunctions(client);
const real = createServeEndpoint(client, functions);

/** The SDK's handler, with a broken deployment in front of two functions (the sync still works). */
const endpoint: ServeEndpoint = {
  PUT: (request) => real.PUT(request),
  POST: async (request) => {
    const fnId = new URL(request.url).searchParams.get("fnId");
    if (fnId === "engine-test-broken-infra") {
      calls.broken++;
      // A proxy's 502, then an answer that is not the protocol's: both are the infrastructure's fault.
      return calls.broken % 2 === 1 ? new Response("bad gateway", { status: 502 }) : new Response("<html>oops</html>", { status: 206 });
    }
    if (fnId === "engine-test-flaky-infra") {
      calls.flaky++;
      // Two failures, one answer, two failures, one answer: never three in a row, four in all (above the cap).
      if (calls.flaky % 3 !== 0) return new Response("service unavailable", { status: 503 });
    }
    return real.POST(request);
  },
};

const engine = createLocalEngine({ client, functions, endpoint, backoff: () => 20, pollIntervalMs: 50, maxInfraFailures: MAX_INFRA_FAILURES });
ref.engine = engine;

beforeAll(async () => {
  await engine.start();
});

afterAll(async () => {
  await engine.stop();
});

describe("local engine: infrastructure failures", () => {
  it("fails the run after the cap and runs onFailure; a real answer resets the count", async () => {
    const { runIds } = await engine.enqueue([
      { name: "test/broken-infra", data: {} },
      { name: "test/flaky-infra", data: {} },
    ]);
    expect(runIds).toHaveLength(2);
    const [broken, flaky] = await Promise.all(runIds.map((id) => engine.waitForRun(id, { timeoutMs: 15_000 })));

    expect(broken?.status).toBe("failed");
    expect(broken?.error?.name).toBe("InfrastructureError");
    expect(broken?.error?.message).toMatch(/failed 3 calls in a row/);
    expect(broken?.infraFailures).toBe(MAX_INFRA_FAILURES);
    // No attempt was spent on them, and no call after the cap.
    expect(broken?.attempt).toBe(0);
    expect(calls.broken).toBe(MAX_INFRA_FAILURES);
    const [failureRun] = await engine.listRuns({ eventId: `failure:${broken!.id}` });
    expect((await engine.waitForRun(failureRun!.id)).status).toBe("completed");
    expect(failures).toEqual([broken!.error!.message]);

    expect(flaky?.status).toBe("completed");
    expect(flaky?.output).toBe("ab");
    expect(flaky?.infraFailures).toBe(0);
    expect(calls.flaky).toBe(6);
  });
});
