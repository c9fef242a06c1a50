/**
 * Claims are fair across concurrency keys: a tenant with 20,000 queued runs delays another tenant's single
 * run by at most one claim batch, also once the big tenant is at its concurrency limit and a slot frees up.
 */
import { beforeEach, describe, expect, it } from "vitest";
import { getDb, Prisma, type PrismaClient } from "@/server/db";
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

/** Stores one queued run for each of the keys `<prefix><from>` … `<prefix><to>` (zero-padded), due in an hour. */
async function seedSleepingKeys(prefix: string, from: number, to: number): Promise<void> {
  const db = await getDb();
  await db.$executeRaw`
    INSERT INTO "JobRun" (id, "functionId", "eventName", event, "runAt", "concurrencyKey", "idempotencyKey", "updatedAt")
    SELECT gen_random_uuid(), ${FN}::text, 'test/fair', jsonb_build_object('id', 'sleep-' || i, 'name', 'test/fair', 'data', '{}'::jsonb, 'ts', 0),
           (now() AT TIME ZONE 'UTC') + interval '1 hour', ${prefix}::text || lpad(i::text, 6, '0'), 'sleep-' || i, now()
    FROM generate_series(${from}::int, ${to}::int) AS i`;
}

/**
 * The real client, with one addition inside transactions: each raw query is first run under
 * EXPLAIN (ANALYZE, BUFFERS) in a savepoint that is rolled back, then for real, so a test can see how many
 * database pages the store's own claim statement touched.
 */
function measuringClient(db: PrismaClient, pages: number[]): () => Promise<PrismaClient> {
  const client = new Proxy(db, {
    get(target, prop, receiver) {
      if (prop !== "$transaction") return Reflect.get(target, prop, receiver);
      return (fn: (tx: PrismaClient) => Promise<unknown>, options: unknown) =>
        target.$transaction(async (tx) => {
          const measuring = new Proxy(tx, {
            get(t, p, r) {
              if (p !== "$queryRaw") return Reflect.get(t, p, r);
              return async (first: Prisma.Sql | TemplateStringsArray, ...values: unknown[]) => {
                const sql = first instanceof Prisma.Sql ? first : Prisma.sql(first, ...values);
                await t.$executeRawUnsafe("SAVEPOINT measure_claim");
                const [row] = await t.$queryRaw<{ "QUERY PLAN": [{ Plan: Record<string, number> }] }[]>`EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) ${sql}`;
                const plan = row!["QUERY PLAN"][0].Plan;
                pages.push((plan["Shared Hit Blocks"] ?? 0) + (plan["Shared Read Blocks"] ?? 0));
                await t.$executeRawUnsafe("ROLLBACK TO SAVEPOINT measure_claim");
                return t.$queryRaw(sql);
              };
            },
          });
          return fn(measuring as PrismaClient);
        }, options as Parameters<PrismaClient["$transaction"]>[1]);
    },
  });
  return async () => client;
}

/**
 * Stores one due run of `key` whose runAt falls inside a `seedBacklog` of 5,000 runs: neither among the
 * oldest nor among the newest due runs, so only the walk over keys can find it.
 */
async function seedAmidBacklog(key: string): Promise<string> {
  const db = await getDb();
  const [row] = await db.$queryRaw<{ id: string }[]>`
    INSERT INTO "JobRun" (id, "functionId", "eventName", event, "runAt", "concurrencyKey", "idempotencyKey", "updatedAt")
    VALUES (gen_random_uuid(), ${FN}, 'test/fair', jsonb_build_object('id', ${key}::text, 'name', 'test/fair', 'data', jsonb_build_object('tenant', ${key}::text), 'ts', 0),
            (now() AT TIME ZONE 'UTC') - interval '1 hour' + interval '2500 milliseconds', ${key}, ${key}, now())
    RETURNING id`;
  return row!.id;
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
  beforeEach(async () => {
    const db = await getDb();
    await db.jobRun.deleteMany({ where: { functionId: FN } });
  });

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

  it("claims a due key among 10,000 sleeping keys at once, and reads no more pages with 40,000", { timeout: 120_000 }, async () => {
    const db = await getDb();
    const pages: number[] = [];
    const store = new RunStore(measuringClient(db, pages), "fair-worker", 30_000);
    await seedBacklog("tenant-a", 5_000);
    await seedSleepingKeys("sleep-", 1, 10_000);
    const hidden = await seedAmidBacklog("sleep-005000-due");

    const first = await store.claim(BATCH, [FN], LIMITS);
    expect(first.map((r) => r.id)).toContain(hidden);
    expect(first).toHaveLength(BATCH);

    await seedSleepingKeys("sleep-", 10_001, 40_000);
    const deeper = await seedAmidBacklog("sleep-025000-due");
    const served: string[] = [];
    for (let claim = 0; claim < 3 && !served.includes(deeper); claim++) served.push(...(await store.claim(BATCH, [FN], LIMITS)).map((r) => r.id));
    // Past the walk's read budget it takes a few claims, each starting where the last one stopped.
    expect(served).toContain(deeper);
    // A run that has just become due is found at once, wherever its key lies.
    const fresh = await enqueueOne(store, "sleep-035000-fresh", "fresh-1");
    expect((await store.claim(BATCH, [FN], LIMITS)).map((r) => r.id)).toContain(fresh);
    expect(await db.jobRun.count({ where: { functionId: FN, status: "running", concurrencyKey: "tenant-a" } })).toBeLessThanOrEqual(50);

    const [atTenThousand, ...atFortyThousand] = pages;
    console.log(`pages read per claim: 10,000 sleeping keys ${atTenThousand}, 40,000: ${atFortyThousand.join(", ")}`);
    for (const read of atFortyThousand) expect(read).toBeLessThan(atTenThousand! * 2);
  });

  it("rotates through keys: 32 keys with backlogs do not starve 168 keys with one run each", { timeout: 60_000 }, async () => {
    const db = await getDb();
    const store = new RunStore(getDb, "fair-worker", 30_000);
    // The 32 backlogs are older than every single run, so oldest-first alone would serve them for 50 claims.
    for (let k = 0; k < 32; k++) await seedBacklog(`k-${String(k).padStart(3, "0")}`, 50);
    for (let k = 32; k < 200; k++) await enqueueOne(store, `k-${String(k).padStart(3, "0")}`, `single-${k}`);

    const claimedKeys = new Set<string>();
    for (let claim = 0; claim < 7; claim++) {
      const runs = await store.claim(BATCH, [FN], []);
      expect(runs).toHaveLength(BATCH);
      const keys = runs.map((r) => (r.event.data as { tenant: string }).tenant);
      // Round robin: no key gets a second run in a claim while other keys wait.
      expect(new Set(keys).size).toBe(BATCH);
      for (const key of keys) claimedKeys.add(key);
    }
    const keysWithRuns = await db.jobRun.groupBy({ by: ["concurrencyKey"], where: { functionId: FN } });
    expect(keysWithRuns).toHaveLength(200);
    expect(claimedKeys.size).toBe(200);
  });
});
