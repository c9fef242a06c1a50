/**
 * The app's own client: `inngest.send()` and `step.sendEvent()` reach the process engine in-process;
 * calls are signed and verified by the SDK in cloud mode (a bad signature costs no attempt); the
 * `/api/inngest` route serves the same handler.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getSecrets } from "@/server/env";
import { setLogSink } from "@/server/lib/logger";
import { inngest } from "@/server/jobs/client";
import { createLocalEngine, setLocalEngine } from "@/server/jobs/engine";
import { canonicalJson, signatureHeader } from "@/server/jobs/engine/signing";
import { api, call } from "@/tests/helpers/api";
import { createTestEngine, eventually } from "@/tests/helpers/engine";

const received: unknown[] = [];

const notify = inngest.createFunction({ id: "test-notify", retries: 0, triggers: [{ event: "test/app.notify" }] }, async ({ event, step }) => {
  await step.run("record", () => received.push(event.data));
  await step.sendEvent("follow-up", { name: "test/app.followed", data: { from: event.data.n } });
  return "sent";
});
const followed = inngest.createFunction({ id: "test-followed", retries: 0, triggers: [{ event: "test/app.followed" }] }, async ({ event, step }) => {
  await step.run("record", () => received.push({ followed: event.data.from }));
});

const appEngine = createLocalEngine({ client: inngest, functions: [notify, followed], backoff: () => 20, pollIntervalMs: 50 });

beforeAll(async () => {
  setLocalEngine(appEngine);
  await appEngine.start();
});

afterAll(async () => {
  await appEngine.stop();
  setLocalEngine(undefined);
});

describe("inngest.send from application code", () => {
  it("reaches the local engine in-process, and step.sendEvent starts the next function", async () => {
    const { ids } = await inngest.send({ name: "test/app.notify", data: { n: 7 } });
    expect(ids).toHaveLength(1);
    const [run] = await eventually(async () => {
      const runs = await appEngine.listRuns({ eventId: ids[0]! });
      return runs.length > 0 && runs;
    });
    expect((await appEngine.waitForRun(run!.id)).output).toBe("sent");
    await eventually(() => received.some((r) => JSON.stringify(r) === JSON.stringify({ followed: 7 })));
    expect(received).toContainEqual({ n: 7 });
  });

  it("keeps event ids given by the caller, so re-sending starts nothing new", async () => {
    const first = await inngest.send({ id: "notify-once", name: "test/app.notify", data: { n: 8 } });
    const again = await inngest.send({ id: "notify-once", name: "test/app.notify", data: { n: 8 } });
    expect(first.ids).toEqual(["notify-once"]);
    expect(again.ids).toEqual(["notify-once"]);
    await appEngine.drain();
    expect(await appEngine.listRuns({ eventId: "notify-once" })).toHaveLength(1);
  });
});

describe("signatures", () => {
  it("answers 401 to a call signed with another key, and the engine spends no attempt on it", async () => {
    const lines: string[] = [];
    const restore = setLogSink((line) => lines.push(line), "error");
    const calls: number[] = [];
    const goodKey = getSecrets().localSigningKey;
    let engineKey = goodKey;
    const { engine } = createTestEngine(
      (client) => [
        client.createFunction({ id: "signed", retries: 0, triggers: [{ event: "test/signed" }] }, async ({ step }) => {
          await step.run("work", () => calls.push(1));
          return "ok";
        }),
      ],
      { signingKey: () => engineKey },
    );
    try {
      await engine.start();
      // The engine's key no longer matches the app's (a botched rotation): every call is refused.
      engineKey = `signkey-test-${"0".repeat(64)}`;
      const { runIds } = await engine.enqueue([{ name: "test/signed", data: {} }]);
      const runId = runIds[0]!;
      await eventually(() => lines.filter((l) => l.includes('"status":401') && l.includes(runId)).length >= 3);
      const refused = await engine.getRun(runId);
      expect(refused?.attempt).toBe(0);
      expect(refused?.status).not.toBe("failed");
      expect(calls).toHaveLength(0);
      expect(await engine.listRuns({ eventId: `failure:${runId}` })).toHaveLength(0);

      // Once the key is right again the same run completes on its first attempt.
      engineKey = goodKey;
      const done = await engine.waitForRun(runId);
      expect(done.status).toBe("completed");
      expect(done.attempt).toBe(0);
      expect(calls).toHaveLength(1);
    } finally {
      restore();
      await engine.stop();
    }
  });
});

describe("/api/inngest", () => {
  it("serves the app's handler: a signed in-band sync lists the app's functions", async () => {
    const body = canonicalJson({ url: "http://localhost/api/inngest" });
    const res = await call("PUT", "/api/inngest", {
      rawBody: body,
      headers: { "content-type": "application/json", "x-inngest-sync-kind": "in_band", "x-inngest-signature": signatureHeader(body, getSecrets().localSigningKey) },
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ app_id: "courierx", inspection: { mode: "cloud", authentication_succeeded: true } });
  });

  it("refuses unsigned calls", async () => {
    expect((await api.get("/api/inngest")).status).toBe(401);
    expect((await api.post("/api/inngest?fnId=courierx-test-notify&stepId=step", { event: {}, steps: {} })).status).toBe(401);
  });
});
