/**
 * JobRun / JobStep persistence. Every write the executor makes is one SQL statement (data-modifying CTEs),
 * guarded by the claim's lease (`leaseOwner` = this worker plus a token fresh for each claim, and status
 * `running`), so a worker that lost its lease — even one that has since claimed the same run again — or a
 * run cancelled meanwhile can never overwrite the newer state.
 *
 * Time is the database's: every lease written and compared, every due check and every `runAt` and
 * `finishedAt` uses the statement's database timestamp (`DB_NOW`), never this process's clock, so two
 * workers whose clocks disagree still agree on whether a lease is live. This process's clock only measures
 * delays ("in 2 s"), which the store adds to the database's time.
 *
 * Statuses: `queued` = waiting to be called (new, sleeping or backing off; `runAt` says when, `stack`
 * shows progress); `running` = a worker holds the lease and is calling it; then `completed`, `failed`,
 * `cancelled`. Keeping `running` to leased runs makes both the claim and the concurrency count read only
 * small index ranges of `(status, runAt)`.
 */
import { randomBytes } from "node:crypto";
import { DB_NOW, milliseconds, Prisma, type PrismaClient } from "../../db";
import { claimStatement, type ClaimResult } from "./claim-statement";
import { GroupCommit } from "./group-commit";
import { uuidv7 } from "../../lib/ids";
import type { StepResult } from "./protocol";
import type { NewRun } from "./registry";
import type { ClaimedRun, RunProgress, RunWrite } from "./run-types";

/** Serializes claims across workers so concurrency counts read under the lock are exact. */
const CLAIM_LOCK_KEY = 0x436f7572; // "Cour"
/** Rows per INSERT (7 parameters each, far below PostgreSQL's 65535). */
const INSERT_CHUNK = 500;

/** `leaseOwner` is `<worker id>#<claim token>`: the worker for people, the whole value for the fence. */
const LEASE_TOKEN_SEPARATOR = "#";

/** The worker that holds a lease, without the claim's token. */
export function leaseHolder(leaseOwner: string): string {
  const at = leaseOwner.lastIndexOf(LEASE_TOKEN_SEPARATOR);
  return at < 0 ? leaseOwner : leaseOwner.slice(0, at);
}

interface PendingWrite {
  run: { id: string; lease: string };
  progress: RunProgress;
  write: RunWrite;
}

/** Writes per statement: bounded so one statement stays small enough to plan and run quickly. */
const MAX_WRITE_BATCH = 64;

export class RunStore {
  private readonly writes: GroupCommit<PendingWrite, boolean>;
  private readonly inserts: GroupCommit<NewRun[], string[]>;
  private submissions = 0;
  /** Per function, where the next claim's walk over concurrency keys resumes (rotation across claims). */
  private readonly claimCursors = new Map<string, string | null>();

  constructor(
    private readonly db: () => Promise<PrismaClient>,
    private readonly owner: string,
    private readonly leaseMs: number,
  ) {
    this.writes = new GroupCommit((items) => this.writeBatch(items), (item) => item.run.id, MAX_WRITE_BATCH);
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
            Prisma.sql`(${id}::uuid, ${run.functionId}, ${run.event.name}, ${JSON.stringify(run.event)}::jsonb, ${DB_NOW}, ${run.concurrencyKey}, ${run.idempotencyKey}, ${DB_NOW})`,
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
   * Leases up to `batch` due runs of the given functions, honouring each function's concurrency limit per
   * key (runs in flight under a live lease count against it), round-robin across concurrency keys: every
   * key's oldest due run comes before any key's second, so a tenant with a backlog of 20,000 runs delays
   * another tenant's single run by at most one batch. The cost is bounded by the batch and a fixed read
   * budget, not by the number of keys; see claim-statement.ts. Rows another transaction holds are skipped
   * (SKIP LOCKED); the advisory lock makes the concurrency counts exact across workers.
   */
  async claim(batch: number, functionIds: string[], limits: { f: string; n: number }[]): Promise<ClaimedRun[]> {
    if (batch <= 0 || functionIds.length === 0) return [];
    const db = await this.db();
    // A fresh token per claim: a worker that claims a run again after its own lease lapsed gets a new lease.
    const lease = `${this.owner}${LEASE_TOKEN_SEPARATOR}${randomBytes(8).toString("hex")}`;
    const cursors = functionIds.flatMap((f) => (this.claimCursors.has(f) ? [{ f, k: this.claimCursors.get(f) ?? null }] : []));
    const result = await db.$transaction(
      async (tx) => {
        await tx.$executeRaw`SELECT pg_advisory_xact_lock(${Prisma.raw(String(CLAIM_LOCK_KEY))})`;
        const [row] = await tx.$queryRaw<ClaimResult[]>(claimStatement({ batch, functionIds, limits, cursors, lease, leaseMs: this.leaseMs }));
        return row;
      },
      // PGlite has one connection: a claim may wait behind other work, so allow more than Prisma's 2 s.
      { maxWait: 15_000, timeout: 15_000 },
    );
    for (const cursor of result?.cursors ?? []) this.claimCursors.set(cursor.f, cursor.k);
    const rows = result?.runs ?? [];
    // Fresh runs have no steps: only runs that made progress cost a second query.
    const resumed = rows.filter((r) => (r.stack?.length ?? 0) > 0).map((r) => r.id);
    const steps = resumed.length > 0 ? await this.loadSteps(db, resumed) : new Map<string, Record<string, StepResult>>();
    return rows.map((r) => ({
      id: r.id,
      lease,
      functionId: r.functionId,
      event: r.event,
      attempt: r.attempt,
      infraFailures: r.infraFailures,
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
   * Writes the run's state and its new steps; false if this claim's lease was lost (the run was handed back
   * or claimed again) or the run cancelled. Writes of concurrent runs are grouped into one statement.
   */
  write(run: { id: string; lease: string }, progress: RunProgress, write: RunWrite): Promise<boolean> {
    return this.writes.submit({ run, progress, write });
  }

  /** One statement for a batch of writes (distinct runs), each guarded by its claim's lease. */
  private async writeBatch(items: PendingWrite[]): Promise<boolean[]> {
    const db = await this.db();
    const nowMs = Date.now();
    const input = items.map(({ run, progress, write }) => {
      // This process's clock gives only the delay; the database's clock the moment it counts from. A bigint:
      // sleeps may be longer than an int's 24.8 days of milliseconds (a send scheduled 30 days ahead).
      const delayMs = write.kind === "release" ? Math.max(0, Math.round(write.runAt.getTime() - nowMs)) : null;
      const output = write.kind === "complete" ? JSON.stringify(write.output ?? null) : null;
      const error = write.kind === "fail" ? JSON.stringify(write.error) : null;
      return Prisma.sql`(${run.id}::uuid, ${run.lease}::text, ${progress.attempt}::int, ${progress.infraFailures}::int, ${progress.stack}::text[],
        ${JSON.stringify(progress.pending)}::jsonb, ${progress.disableImmediateExecution}::boolean, ${write.kind}::text, ${delayMs}::bigint, ${output}::jsonb, ${error}::jsonb)`;
    });
    // Only the parts this batch needs: every extra CTE costs planning time on each of the many writes.
    const inserts: Prisma.Sql[] = [];
    const steps = items.flatMap(({ run, progress }) =>
      progress.newSteps.map(([stepId, result]) => Prisma.sql`(${run.id}::uuid, ${stepId}, ${JSON.stringify(result)}::jsonb)`),
    );
    if (steps.length > 0) {
      inserts.push(Prisma.sql`, steps AS (
        INSERT INTO "JobStep" ("runId", "stepId", result)
        SELECT s.run, s.step, s.result FROM (VALUES ${Prisma.join(steps)}) AS s(run, step, result) JOIN owned o ON o.id = s.run
        ON CONFLICT DO NOTHING)`);
    }
    const followUps = items.flatMap(({ run, write }) =>
      write.kind === "fail"
        ? write.followUps.map(
            (r) =>
              Prisma.sql`(${run.id}::uuid, ${uuidv7(nowMs)}::uuid, ${r.functionId}, ${r.event.name}, ${JSON.stringify(r.event)}::jsonb, ${r.concurrencyKey}::text, ${r.idempotencyKey})`,
          )
        : [],
    );
    if (followUps.length > 0) {
      inserts.push(Prisma.sql`, follow_ups AS (
        INSERT INTO "JobRun" (id, "functionId", "eventName", event, "runAt", "concurrencyKey", "idempotencyKey", "updatedAt")
        SELECT f.id, f.fn, f.name, f.event, ${DB_NOW}, f.c, f.k, ${DB_NOW}
        FROM (VALUES ${Prisma.join(followUps)}) AS f(parent, id, fn, name, event, c, k) JOIN owned o ON o.id = f.parent
        ON CONFLICT DO NOTHING)`);
    }
    const rows = await db.$queryRaw<{ id: string }[]>`
      WITH input (id, lease, attempt, infra, stack, pending, die, kind, delay_ms, output, error) AS (VALUES ${Prisma.join(input)}),
      owned AS (
        UPDATE "JobRun" r
        SET attempt = i.attempt, "infraFailures" = i.infra, stack = i.stack, "pendingSteps" = i.pending, "disableImmediateExecution" = i.die,
            "updatedAt" = ${DB_NOW},
            status = (CASE i.kind WHEN 'progress' THEN 'running' WHEN 'release' THEN 'queued' WHEN 'complete' THEN 'completed' ELSE 'failed' END)::"JobRunStatus",
            "runAt" = CASE WHEN i.delay_ms IS NULL THEN r."runAt" ELSE ${DB_NOW} + i.delay_ms * interval '1 millisecond' END,
            "leaseOwner" = CASE WHEN i.kind = 'progress' THEN r."leaseOwner" END,
            "leaseUntil" = CASE WHEN i.kind = 'progress' THEN ${DB_NOW} + ${milliseconds(this.leaseMs)} END,
            output = CASE WHEN i.kind = 'complete' THEN i.output ELSE r.output END,
            error = CASE WHEN i.kind = 'fail' THEN i.error ELSE r.error END,
            "finishedAt" = CASE WHEN i.kind IN ('complete', 'fail') THEN ${DB_NOW} ELSE r."finishedAt" END
        FROM input i
        WHERE r.id = i.id AND r."leaseOwner" = i.lease AND r.status = 'running'
        RETURNING r.id
      )${inserts.length > 0 ? Prisma.join(inserts, "") : Prisma.empty}
      SELECT id FROM owned`;
    const owned = new Set(rows.map((r) => r.id));
    return items.map((item) => owned.has(item.run.id));
  }

  /** Heartbeat for calls that outlast part of the lease; only the leases this worker is driving right now. */
  async renewLeases(runs: { id: string; lease: string }[]): Promise<void> {
    if (runs.length === 0) return;
    const db = await this.db();
    await db.$executeRaw`
      UPDATE "JobRun" r SET "leaseUntil" = ${DB_NOW} + ${milliseconds(this.leaseMs)}
      FROM unnest(${runs.map((r) => r.id)}::uuid[], ${runs.map((r) => r.lease)}::text[]) AS l(id, lease)
      WHERE r.id = l.id AND r."leaseOwner" = l.lease AND r.status = 'running'`;
  }

  /**
   * Hands back runs whose worker died (lease lapsed), except the leases in `keep` (runs this process is
   * still driving); with `all`, every leased run — right when this process alone can open the database
   * (PGlite), so any lease found at start belongs to a dead process.
   */
  async recoverLeases(all: boolean, keep: string[] = []): Promise<number> {
    const db = await this.db();
    return db.$executeRaw`
      UPDATE "JobRun" SET status = 'queued', "leaseOwner" = NULL, "leaseUntil" = NULL, "updatedAt" = ${DB_NOW}
      WHERE status = 'running' AND (${all} OR "leaseUntil" < ${DB_NOW})
        AND ("leaseOwner" IS NULL OR "leaseOwner" <> ALL(${keep}::text[]))`;
  }

  /** Runs not finished yet: due now or leased (or, with `includeDelayed`, also waiting for a later time). */
  async countUnfinished(functionIds: string[], includeDelayed: boolean): Promise<number> {
    const db = await this.db();
    const rows = await db.$queryRaw<{ n: number }[]>`
      SELECT count(*)::int AS n FROM "JobRun"
      WHERE "functionId" = ANY(${functionIds}::text[])
        AND (status = 'running' OR (status = 'queued' AND (${includeDelayed} OR "runAt" <= ${DB_NOW})))`;
    return rows[0]?.n ?? 0;
  }

  /** Stops a run that has not finished: the next write of whoever holds it finds it cancelled and stops. */
  async cancelRun(runId: string): Promise<boolean> {
    const db = await this.db();
    const count = await db.$executeRaw`
      UPDATE "JobRun" SET status = 'cancelled', "finishedAt" = ${DB_NOW}, "leaseOwner" = NULL, "leaseUntil" = NULL, "updatedAt" = ${DB_NOW}
      WHERE id = ${runId}::uuid AND status IN ('queued', 'running')`;
    return count > 0;
  }
}
