/**
 * Retention: the scheduled engine-prune-runs function deletes finished runs (completed, failed, cancelled)
 * older than JOB_RETENTION (7 days by default) with their steps, in bounded batches; runs that have not
 * finished are kept however old.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb, Prisma } from "@/server/db";
import { getSecrets } from "@/server/env";
import { inngest } from "@/server/jobs/client";
import { createLocalEngine } from "@/server/jobs/engine";
import { pruneFinishedRuns } from "@/server/jobs/engine/prune-runs";
import { syncFunctions } from "@/server/jobs/engine/registry";
import { RunStore } from "@/server/jobs/engine/run-store";
import { createServeEndpoint } from "@/server/jobs/engine/serve-endpoint";
import { pruneJobRuns } from "@/server/jobs/functions/prune-job-runs";

const PRUNE_FN = "courierx-engine-prune-runs";
const STATUSES = ["queued", "running", "completed", "failed", "cancelled"] as const;
const FINISHED = new Set<string>(["completed", "failed", "cancelled"]);
const NOW = Prisma.raw(`(now() AT TIME ZONE 'UTC')`);

const engine = createLocalEngine({ client: inngest, functions: [pruneJobRuns], backoff: () => 20, pollIntervalMs: 50, workerId: "pruner" });

beforeAll(async () => {
  await engine.start();
});

afterAll(async () => {
  await engine.stop();
});

/**
 * `count` runs per status and age, each with two steps. An unfinished run's age is its creation; a
 * finished run's is its finishedAt (a run created long ago may have finished just now).
 */
async function seed(prefix: string, count: number): Promise<void> {
  const db = await getDb();
  for (const status of STATUSES) {
    for (const [age, days] of [["old", 30], ["recent", 1]] as const) {
      const finished = FINISHED.has(status);
      await db.$executeRaw`
        WITH runs AS (
          INSERT INTO "JobRun" (id, "functionId", "eventName", event, status, "runAt", "createdAt", "updatedAt", "finishedAt", "idempotencyKey",
                                "leaseOwner", "leaseUntil")
          SELECT gen_random_uuid(), 'seed-fn', 'test/seed', '{}'::jsonb, ${status}::"JobRunStatus",
                 ${NOW} - ${days}::int * interval '1 day', ${NOW} - 40 * interval '1 day', ${NOW},
                 CASE WHEN ${finished}::boolean THEN ${NOW} - ${days}::int * interval '1 day' END,
                 ${`${prefix}-${status}-${age}-`}::text || i,
                 CASE WHEN ${status}::text = 'running' THEN 'someone' END, CASE WHEN ${status}::text = 'running' THEN ${NOW} + interval '1 minute' END
          FROM generate_series(1, ${count}::int) AS i
          RETURNING id
        )
        INSERT INTO "JobStep" ("runId", "stepId", result)
        SELECT runs.id, s.step, '{"data": 1}'::jsonb FROM runs CROSS JOIN (VALUES ('one'), ('two')) AS s(step)`;
    }
  }
}

async function countRuns(prefix: string): Promise<Record<string, number>> {
  const db = await getDb();
  const rows = await db.$queryRaw<{ key: string; n: number }[]>`
    SELECT split_part("idempotencyKey", '-', 2) || '-' || split_part("idempotencyKey", '-', 3) AS key, count(*)::int AS n
    FROM "JobRun" WHERE "idempotencyKey" LIKE ${`${prefix}-%`} GROUP BY 1`;
  return Object.fromEntries(rows.map((r) => [r.key, r.n]));
}

async function countSteps(prefix: string): Promise<number> {
  const db = await getDb();
  const [row] = await db.$queryRaw<{ n: number }[]>`
    SELECT count(*)::int AS n FROM "JobStep" s JOIN "JobRun" r ON r.id = s."runId" WHERE r."idempotencyKey" LIKE ${`${prefix}-%`}`;
  return row!.n;
}

async function orphanSteps(): Promise<number> {
  const db = await getDb();
  const [row] = await db.$queryRaw<{ n: number }[]>`
    SELECT count(*)::int AS n FROM "JobStep" s WHERE NOT EXISTS (SELECT 1 FROM "JobRun" r WHERE r.id = s."runId")`;
  return row!.n;
}

describe("local engine: retention", () => {
  it("the scheduled function deletes finished runs older than 7 days with their steps, and nothing else", async () => {
    await seed("cron", 3);
    const registry = await syncFunctions(createServeEndpoint(inngest, [pruneJobRuns]), getSecrets().localSigningKey);
    const definition = registry.get(PRUNE_FN);
    expect(definition?.crons.length).toBe(1);
    // The run the cron ticker would create at its next tick, stored the way the ticker stores it.
    const tick = registry.runForCronTick(PRUNE_FN, "*/10 * * * *", Date.now());
    const [runId] = await new RunStore(getDb, "ticker", 30_000).insertRuns([tick!]);
    const run = await engine.waitForRun(runId!, { timeoutMs: 20_000 });

    expect(run.status).toBe("completed");
    expect(run.output).toEqual({ deleted: 9, webhook_deliveries: 0, seen_tokens: 0 });
    expect(await countRuns("cron")).toEqual({
      "queued-old": 3,
      "queued-recent": 3,
      "running-old": 3,
      "running-recent": 3,
      "completed-recent": 3,
      "failed-recent": 3,
      "cancelled-recent": 3,
    });
    expect(await countSteps("cron")).toBe(7 * 3 * 2);
    expect(await orphanSteps()).toBe(0);
  });

  it("works in bounded batches and says when more is left", async () => {
    await seed("batch", 2);
    const first = await pruneFinishedRuns({ olderThanMs: 7 * 86_400_000, batchSize: 2, maxBatches: 2 });
    expect(first).toEqual({ deleted: 4, more: true });
    const rest = await pruneFinishedRuns({ olderThanMs: 7 * 86_400_000, batchSize: 2, maxBatches: 5 });
    expect(rest).toEqual({ deleted: 2, more: false });
    const left = await countRuns("batch");
    expect(Object.keys(left).filter((k) => k.endsWith("-old")).sort()).toEqual(["queued-old", "running-old"]);
    expect(await orphanSteps()).toBe(0);
  });
});
