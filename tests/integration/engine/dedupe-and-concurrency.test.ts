/** Idempotency keys, event-id de-duplication and per-key concurrency limits of the local engine. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestEngine, sleep } from "@/tests/helpers/engine";

const executions: string[] = [];
const active = new Map<string, number>();
const maxActive = new Map<string, number>();
let activeOverall = 0;
let maxOverall = 0;

const { engine } = createTestEngine((inngest) => [
  inngest.createFunction(
    { id: "idempotent", retries: 0, idempotency: "event.data.tenant_id + '-' + event.data.email_id", triggers: [{ event: "test/idempotent" }] },
    async ({ event, step }) => {
      await step.run("once", () => executions.push(`${event.data.tenant_id}-${event.data.email_id}`));
    },
  ),
  inngest.createFunction({ id: "plain", retries: 0, triggers: [{ event: "test/plain" }] }, async ({ event, step }) => {
    await step.run("once", () => executions.push(`plain:${event.id}`));
  }),
  inngest.createFunction(
    { id: "per-tenant", retries: 0, concurrency: [{ key: "event.data.tenant", limit: 1 }], triggers: [{ event: "test/tenant-work" }] },
    async ({ event, step }) => {
      const tenant = event.data.tenant as string;
      for (const part of ["one", "two"]) {
        await step.run(part, async () => {
          const now = (active.get(tenant) ?? 0) + 1;
          active.set(tenant, now);
          maxActive.set(tenant, Math.max(maxActive.get(tenant) ?? 0, now));
          maxOverall = Math.max(maxOverall, ++activeOverall);
          await sleep(60);
          active.set(tenant, (active.get(tenant) ?? 1) - 1);
          activeOverall--;
        });
      }
    },
  ),
  inngest.createFunction({ id: "filtered", retries: 0, triggers: [{ event: "test/filtered", if: "event.data.amount >= 10 && event.data.kind == 'big'" }] }, async () => "matched"),
]);

beforeAll(async () => {
  await engine.start();
});

afterAll(async () => {
  await engine.stop();
});

describe("local engine: de-duplication", () => {
  it("starts no second run for an event with the same idempotency key", async () => {
    const first = await engine.enqueue([{ name: "test/idempotent", data: { tenant_id: "t1", email_id: "m1" } }]);
    const second = await engine.enqueue([{ name: "test/idempotent", data: { tenant_id: "t1", email_id: "m1" } }]);
    const other = await engine.enqueue([{ name: "test/idempotent", data: { tenant_id: "t1", email_id: "m2" } }]);
    expect(first.runIds).toHaveLength(1);
    expect(second.runIds).toHaveLength(0);
    expect(second.ids).toHaveLength(1);
    expect(other.runIds).toHaveLength(1);
    await engine.drain();
    expect(executions.filter((e) => e === "t1-m1")).toHaveLength(1);
    expect(executions.filter((e) => e === "t1-m2")).toHaveLength(1);
    const runs = await engine.listRuns({ functionId: "engine-test-idempotent" });
    expect(runs.map((r) => r.status)).toEqual(["completed", "completed"]);
  });

  it("ignores a re-sent event id, also within one batch", async () => {
    const event = { id: "resend-me", name: "test/plain", data: {} };
    const first = await engine.enqueue([event, event]);
    const again = await engine.enqueue([event]);
    expect(first.runIds).toHaveLength(1);
    expect(again.runIds).toHaveLength(0);
    await engine.drain();
    expect(executions.filter((e) => e === "plain:resend-me")).toHaveLength(1);
  });

  it("honours a trigger condition", async () => {
    const { runIds } = await engine.enqueue([
      { name: "test/filtered", data: { amount: 12, kind: "big" } },
      { name: "test/filtered", data: { amount: 5, kind: "big" } },
      { name: "test/filtered", data: { amount: 50, kind: "small" } },
    ]);
    expect(runIds).toHaveLength(1);
  });
});

describe("local engine: concurrency", () => {
  it("never overlaps runs of one key beyond its limit, while other keys run alongside", async () => {
    const events = ["a", "b", "c"].flatMap((tenant) => Array.from({ length: 4 }, () => ({ name: "test/tenant-work", data: { tenant } })));
    const { runIds } = await engine.enqueue(events);
    expect(runIds).toHaveLength(12);
    await engine.drain({ timeoutMs: 20_000 });
    const runs = await engine.listRuns({ functionId: "engine-test-per-tenant" });
    expect(runs.filter((r) => r.status === "completed")).toHaveLength(12);
    expect([...maxActive.values()]).toEqual([1, 1, 1]);
    expect(maxOverall).toBeGreaterThanOrEqual(2);
  });
});
