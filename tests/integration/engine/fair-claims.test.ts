/**
 * Claims are fair across concurrency keys: a tenant with 20,000 queued runs delays another tenant's single
 * run by at most one claim batch, also once the big tenant is at its concurrency limit and a slot frees up.
 */
import { describe, expect, it } from "vitest";
import { getDb } from "@/server/db";
import { RunStore } from "@/server/jobs/engine/run-store";

const FN = "engine-test-fair-send";
const LIMITS = [{ f: FN, n: 50 }];
const BATCH = 32;

/** Stores `count` due runs of one tenant in one statement, older than anything enqueued later. */
async function seedBacklog(tenant: string, count: number): Promise<void> {
  const db = await getDb();
  await db.$executeRaw`
    INSERT INTO "JobRun" (id, "functionId", "eventName", event, "runAt", "concurrencyKey", "idempotencyKey", "updatedAt")
    SELECT gen_random_uuid(), ${FN}::text, 'test/fair', jsonb_build_object('id', ${tenant}::text || '-' || i, 'name', 'test/fair', 'data', jsonb_build_object('tenant', ${tenant}::text), 'ts', 0),
           (now() AT TIME ZONE 'UTC') - interval '1 hour' + i * interval '1 millisecond', ${tenant}::text, ${tenant}::text || '-' || i, now()
    FROM generate_series(1, ${count}::int) AS i`;
}

async function enqueueOne(store: RunStore, tenant: string, id: string): Promise<string> {
  const [runId] = await store.insertRuns([
    { functionId: FN, event: { id, name: "test/fair", data: { tenant }, ts: Date.now() }, concurrencyKey: tenant, idempotencyKey: id },
  ]);
  return runId!;
}

async function timedClaim(store: RunStore, timings: number[]) {
  const started = performance.now();
  const runs = await store.claim(BATCH, [FN], LIMITS);
  timings.push(performance.now() - started);
  return runs;
}

describe("local engine: fair claims", () => {
  it("claims another tenant's single run within one batch of a 20,000-run backlog", { timeout: 60_000 }, async () => {
    const store = new RunStore(getDb, "fair-worker", 30_000);
    const db = await getDb();
    await seedBacklog("tenant-a", 20_000);
    const single = await enqueueOne(store, "tenant-b", "b-1");
    const timings: number[] = [];

    const first = await timedClaim(store, timings);
    expect(first).toHaveLength(BATCH);
    expect(first.map((r) => r.id)).toContain(single);

    // Tenant A reaches its limit of 50 with the next claim; then one of its runs ends and tenant C sends one.
    const second = await timedClaim(store, timings);
    const running = await db.jobRun.count({ where: { functionId: FN, status: "running", concurrencyKey: "tenant-a" } });
    expect(running).toBe(50);
    expect(second.length).toBe(50 - (BATCH - 1));
    await db.jobRun.update({ where: { id: second[0]!.id }, data: { status: "completed", finishedAt: new Date(), leaseOwner: null, leaseUntil: null } });
    const late = await enqueueOne(store, "tenant-c", "c-1");
    const third = await timedClaim(store, timings);
    expect(third.map((r) => r.id)).toContain(late);
    // The freed slot went to A's oldest waiting run, and A stays within its limit.
    expect(third).toHaveLength(2);
    expect(await db.jobRun.count({ where: { functionId: FN, status: "running", concurrencyKey: "tenant-a" } })).toBe(50);

    console.log(`claim of ${BATCH} with 20,000 queued runs of one key (+1 of another), ms:`, timings.map((t) => Math.round(t)).join(", "));
  });
});
