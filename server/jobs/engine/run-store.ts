/**
 * JobRun / JobStep persistence. Every write the executor makes is one SQL statement (data-modifying CTEs),
 * guarded by the lease (`leaseOwner` = this worker and status `running`), so a worker that lost its lease,
 * or a run cancelled meanwhile, can never overwrite the newer state.
 *
 * Statuses: `queued` = waiting to be called (new, sleeping or backing off; `runAt` says when, `stack`
 * shows progress); `running` = a worker holds the lease and is calling it; then `completed`, `failed`,
 * `cancelled`. Keeping `running` to leased runs makes both the claim and the concurrency count read only
 * small index ranges of `(status, runAt)`.
 */
import { Prisma, type PrismaClient } from "../../db";
import { GroupCommit } from "./group-commit";
import { uuidv7 } from "../../lib/ids";
import type { EngineEvent, StepResult } from "./protocol";
import type { NewRun } from "./registry";
import type { ClaimedRun, PendingStep, RunProgress, RunWrite } from "./run-types";

interface ClaimRow {
  id: string;
  functionId: string;
  event: EngineEvent;
  attempt: number;
  stack: string[] | null;
  pendingSteps: PendingStep[];
  disableImmediateExecution: boolean;
}

/** Serializes claims across workers so concurrency counts read under the lock are exact. */
const CLAIM_LOCK_KEY = 0x436f7572; // "Cour"
/** Rows per INSERT (7 parameters each, far below PostgreSQL's 65535). */
const INSERT_CHUNK = 500;
/** How far past the batch the claim looks for rows whose concurrency key still has room. */
const CLAIM_SCAN_FACTOR = 4;

interface PendingWrite {
  runId: string;
  progress: RunProgress;
  write: RunWrite;
}

/** Writes per statement: bounded so one statement stays small enough to plan and run quickly. */
const MAX_WRITE_BATCH = 64;

export class RunStore {
  private readonly writes: GroupCommit<PendingWrite, boolean>;
  private readonly inserts: GroupCommit<NewRun[], string[]>;
  private submissions = 0;

  constructor(
    private readonly db: () => Promise<PrismaClient>,
    private readonly owner: string,
    private readonly leaseMs: number,
  ) {
    this.writes = new GroupCommit((items) => this.writeBatch(items), (item) => item.runId, MAX_WRITE_BATCH);
    // Every insert may share a statement with any other: distinct keys.
    this.inserts = new GroupCommit((batches) => this.insertBatch(batches), () => String(this.submissions++), MAX_WRITE_BATCH);
  }

  /**
   * Inserts runs, skipping those whose idempotency key exists; returns the ids created. Concurrent
   * callers (the send API's requests) share statements (group commit).
   */
  insertRuns(runs: NewRun[]): Promise<string[]> {
    if (runs.length === 0) return Promise.resolve([]);
    return this.inserts.submit(runs);
  }

  private async insertBatch(batches: NewRun[][]): Promise<string[][]> {
    const db = await this.db();
    const now = new Date();
    const rows = batches.flatMap((runs, batch) => runs.map((run) => ({ id: uuidv7(now.getTime()), run, batch })));
    const inserted = new Set<string>();
    for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
      const values = rows
        .slice(i, i + INSERT_CHUNK)
        .map(
          ({ id, run }) =>
            Prisma.sql`(${id}::uuid, ${run.functionId}, ${run.event.name}, ${JSON.stringify(run.event)}::jsonb, ${now}, ${run.concurrencyKey}, ${run.idempotencyKey}, ${now})`,
        );
      const created = await db.$queryRaw<{ id: string }[]>`
        INSERT INTO "JobRun" (id, "functionId", "eventName", event, "runAt", "concurrencyKey", "idempotencyKey", "updatedAt")
        VALUES ${Prisma.join(values)}
        ON CONFLICT DO NOTHING
        RETURNING id`;
      for (const row of created) inserted.add(row.id);
    }
    return batches.map((_, batch) => rows.filter((r) => r.batch === batch && inserted.has(r.id)).map((r) => r.id));
  }

  /**
   * Leases up to `batch` due runs of the given functions, oldest first, honouring each function's
   * concurrency limit per key (runs in flight under a live lease count against it).
   */
  async claim(batch: number, functionIds: string[], limits: { f: string; n: number }[]): Promise<ClaimedRun[]> {
    if (batch <= 0 || functionIds.length === 0) return [];
    const db = await this.db();
    const now = new Date();
    const leaseUntil = new Date(now.getTime() + this.leaseMs);
    const rows = await db.$transaction(
      async (tx) => {
        await tx.$executeRaw`SELECT pg_advisory_xact_lock(${Prisma.raw(String(CLAIM_LOCK_KEY))})`;
        return tx.$queryRaw<ClaimRow[]>`
          WITH lim AS (
            SELECT l.f AS "functionId", l.n AS lim FROM jsonb_to_recordset(${JSON.stringify(limits)}::jsonb) AS l(f text, n int)
          ), busy AS (
            SELECT r."functionId", r."concurrencyKey", count(*)::int AS n
            FROM "JobRun" r JOIN lim USING ("functionId")
            WHERE r.status = 'running' AND r."leaseUntil" > ${now}
            GROUP BY 1, 2
          ), due AS (
            SELECT r.id, r."functionId", r."concurrencyKey", r."runAt"
            FROM "JobRun" r
            WHERE r.status = 'queued' AND r."runAt" <= ${now} AND r."functionId" = ANY(${functionIds}::text[])
              AND NOT EXISTS (
                SELECT 1 FROM busy b JOIN lim l USING ("functionId")
                WHERE b."functionId" = r."functionId" AND b."concurrencyKey" IS NOT DISTINCT FROM r."concurrencyKey" AND b.n >= l.lim)
            ORDER BY r."runAt"
            LIMIT ${batch * CLAIM_SCAN_FACTOR}
            FOR UPDATE OF r SKIP LOCKED
          ), ranked AS (
            SELECT d.id, d."runAt", l.lim, coalesce(b.n, 0) AS busy,
                   row_number() OVER (PARTITION BY d."functionId", d."concurrencyKey" ORDER BY d."runAt", d.id) AS rn
            FROM due d
            LEFT JOIN lim l ON l."functionId" = d."functionId"
            LEFT JOIN busy b ON b."functionId" = d."functionId" AND b."concurrencyKey" IS NOT DISTINCT FROM d."concurrencyKey"
          ), picked AS (
            SELECT id FROM ranked WHERE lim IS NULL OR rn + busy <= lim ORDER BY "runAt" LIMIT ${batch}
          )
          UPDATE "JobRun" r
          SET status = 'running', "leaseOwner" = ${this.owner}, "leaseUntil" = ${leaseUntil}, "updatedAt" = ${now}
          FROM picked WHERE r.id = picked.id
          RETURNING r.id, r."functionId", r.event, r.attempt, r.stack, r."pendingSteps", r."disableImmediateExecution"`;
      },
      // PGlite has one connection: a claim may wait behind other work, so allow more than Prisma's 2 s.
      { maxWait: 15_000, timeout: 15_000 },
    );
    // Fresh runs have no steps: only runs that made progress cost a second query.
    const resumed = rows.filter((r) => (r.stack?.length ?? 0) > 0).map((r) => r.id);
    const steps = resumed.length > 0 ? await this.loadSteps(db, resumed) : new Map<string, Record<string, StepResult>>();
    return rows.map((r) => ({
      id: r.id,
      functionId: r.functionId,
      event: r.event,
      attempt: r.attempt,
      stack: r.stack ?? [],
      pending: Array.isArray(r.pendingSteps) ? r.pendingSteps : [],
      disableImmediateExecution: r.disableImmediateExecution,
      steps: steps.get(r.id) ?? {},
    }));
  }

  private async loadSteps(db: PrismaClient, runIds: string[]): Promise<Map<string, Record<string, StepResult>>> {
    const rows = await db.$queryRaw<{ runId: string; stepId: string; result: StepResult }[]>`
      SELECT "runId", "stepId", result FROM "JobStep" WHERE "runId" = ANY(${runIds}::uuid[])`;
    const byRun = new Map<string, Record<string, StepResult>>();
    for (const row of rows) {
      const steps = byRun.get(row.runId) ?? {};
      steps[row.stepId] = row.result;
      byRun.set(row.runId, steps);
    }
    return byRun;
  }

  /**
   * Writes the run's state and its new steps; false if the lease was lost or the run cancelled. Writes
   * of concurrent runs are grouped into one statement (group commit).
   */
  write(runId: string, progress: RunProgress, write: RunWrite): Promise<boolean> {
    return this.writes.submit({ runId, progress, write });
  }

  /** One statement for a batch of writes (distinct runs), each guarded by its lease. */
  private async writeBatch(items: PendingWrite[]): Promise<boolean[]> {
    const db = await this.db();
    const now = new Date();
    const leaseUntil = new Date(now.getTime() + this.leaseMs);
    const input = items.map(({ runId, progress, write }) => {
      const runAt = write.kind === "release" ? write.runAt : null;
      const output = write.kind === "complete" ? JSON.stringify(write.output ?? null) : null;
      const error = write.kind === "fail" ? JSON.stringify(write.error) : null;
      return Prisma.sql`(${runId}::uuid, ${progress.attempt}::int, ${progress.stack}::text[], ${JSON.stringify(progress.pending)}::jsonb,
        ${progress.disableImmediateExecution}::boolean, ${write.kind}::text, ${runAt}::timestamp(3), ${output}::jsonb, ${error}::jsonb)`;
    });
    // Only the parts this batch needs: every extra CTE costs planning time on each of the many writes.
    const inserts: Prisma.Sql[] = [];
    const steps = items.flatMap(({ runId, progress }) =>
      progress.newSteps.map(([stepId, result]) => Prisma.sql`(${runId}::uuid, ${stepId}, ${JSON.stringify(result)}::jsonb)`),
    );
    if (steps.length > 0) {
      inserts.push(Prisma.sql`, steps AS (
        INSERT INTO "JobStep" ("runId", "stepId", result)
        SELECT s.run, s.step, s.result FROM (VALUES ${Prisma.join(steps)}) AS s(run, step, result) JOIN owned o ON o.id = s.run
        ON CONFLICT DO NOTHING)`);
    }
    const followUps = items.flatMap(({ runId, write }) =>
      write.kind === "fail"
        ? write.followUps.map(
            (r) =>
              Prisma.sql`(${runId}::uuid, ${uuidv7(now.getTime())}::uuid, ${r.functionId}, ${r.event.name}, ${JSON.stringify(r.event)}::jsonb, ${r.concurrencyKey}::text, ${r.idempotencyKey})`,
          )
        : [],
    );
    if (followUps.length > 0) {
      inserts.push(Prisma.sql`, follow_ups AS (
        INSERT INTO "JobRun" (id, "functionId", "eventName", event, "runAt", "concurrencyKey", "idempotencyKey", "updatedAt")
        SELECT f.id, f.fn, f.name, f.event, ${now}, f.c, f.k, ${now}
        FROM (VALUES ${Prisma.join(followUps)}) AS f(parent, id, fn, name, event, c, k) JOIN owned o ON o.id = f.parent
        ON CONFLICT DO NOTHING)`);
    }
    const rows = await db.$queryRaw<{ id: string }[]>`
      WITH input (id, attempt, stack, pending, die, kind, run_at, output, error) AS (VALUES ${Prisma.join(input)}),
      owned AS (
        UPDATE "JobRun" r
        SET attempt = i.attempt, stack = i.stack, "pendingSteps" = i.pending, "disableImmediateExecution" = i.die, "updatedAt" = ${now},
            status = (CASE i.kind WHEN 'progress' THEN 'running' WHEN 'release' THEN 'queued' WHEN 'complete' THEN 'completed' ELSE 'failed' END)::"JobRunStatus",
            "runAt" = coalesce(i.run_at, r."runAt"),
            "leaseOwner" = CASE WHEN i.kind = 'progress' THEN r."leaseOwner" END,
            "leaseUntil" = CASE WHEN i.kind = 'progress' THEN ${leaseUntil}::timestamp(3) END,
            output = CASE WHEN i.kind = 'complete' THEN i.output ELSE r.output END,
            error = CASE WHEN i.kind = 'fail' THEN i.error ELSE r.error END,
            "finishedAt" = CASE WHEN i.kind IN ('complete', 'fail') THEN ${now}::timestamp(3) ELSE r."finishedAt" END
        FROM input i
        WHERE r.id = i.id AND r."leaseOwner" = ${this.owner} AND r.status = 'running'
        RETURNING r.id
      )${inserts.length > 0 ? Prisma.join(inserts, "") : Prisma.empty}
      SELECT id FROM owned`;
    const owned = new Set(rows.map((r) => r.id));
    return items.map((item) => owned.has(item.runId));
  }

  /** Heartbeat for calls that outlast part of the lease; only the runs this worker is driving right now. */
  async renewLeases(runIds: string[]): Promise<void> {
    if (runIds.length === 0) return;
    const db = await this.db();
    const until = new Date(Date.now() + this.leaseMs);
    await db.$executeRaw`
      UPDATE "JobRun" SET "leaseUntil" = ${until}
      WHERE id = ANY(${runIds}::uuid[]) AND "leaseOwner" = ${this.owner} AND status = 'running'`;
  }

  /**
   * Hands back runs whose worker died (lease lapsed); with `all`, every leased run — right when this
   * process alone can open the database (PGlite), so any lease found at start belongs to a dead process.
   */
  async recoverLeases(all: boolean): Promise<number> {
    const db = await this.db();
    const now = new Date();
    return db.$executeRaw`
      UPDATE "JobRun" SET status = 'queued', "leaseOwner" = NULL, "leaseUntil" = NULL, "updatedAt" = ${now}
      WHERE status = 'running' AND (${all} OR "leaseUntil" < ${now})`;
  }

  /** Runs not finished yet: due now or leased (or, with `includeDelayed`, also waiting for a later time). */
  async countUnfinished(functionIds: string[], includeDelayed: boolean): Promise<number> {
    const db = await this.db();
    const now = new Date();
    const rows = await db.$queryRaw<{ n: number }[]>`
      SELECT count(*)::int AS n FROM "JobRun"
      WHERE "functionId" = ANY(${functionIds}::text[])
        AND (status = 'running' OR (status = 'queued' AND (${includeDelayed} OR "runAt" <= ${now})))`;
    return rows[0]?.n ?? 0;
  }

  /** The earliest `runAt` of a waiting run, so an idle loop can sleep exactly until then. */
  async nextRunAt(functionIds: string[]): Promise<Date | null> {
    const db = await this.db();
    const rows = await db.$queryRaw<{ at: Date | null }[]>`
      SELECT min("runAt") AS at FROM "JobRun" WHERE status = 'queued' AND "functionId" = ANY(${functionIds}::text[])`;
    return rows[0]?.at ?? null;
  }

  /** Stops a run that has not finished: the next write of whoever holds it finds it cancelled and stops. */
  async cancelRun(runId: string): Promise<boolean> {
    const db = await this.db();
    const now = new Date();
    const { count } = await db.jobRun.updateMany({
      where: { id: runId, status: { in: ["queued", "running"] } },
      data: { status: "cancelled", finishedAt: now, leaseOwner: null, leaseUntil: null },
    });
    return count > 0;
  }
}
