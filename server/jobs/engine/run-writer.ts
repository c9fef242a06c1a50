/**
 * The writes of one run, in order: each carries the run's current state and the steps completed since the
 * previous write. Parallel branches write as soon as they finish; a write waits for the one before it.
 *
 * A write the database could not take because it was away (unreachable, restarting, overloaded) is kept and
 * tried again, with backoff, for as long as this engine runs: the run stays in flight here, so the loop
 * keeps renewing its lease and this process's lease recovery leaves it alone, and a step that completed is
 * not lost to a database outage and run again later. Trying late is harmless: every write is fenced by the
 * claim's lease token, so once another worker took the run over (after the lease lapsed) the write is
 * refused and the drive stops. A write refused for its content (a data or constraint error) cannot succeed
 * by waiting: it is tried a few times, then the run is left to lease recovery.
 */
import { sqlState } from "../../db";
import { logger } from "../../lib/logger";
import type { StepResult } from "./protocol";
import type { RunStore } from "./run-store";
import type { ClaimedRun, RunProgress, RunWrite } from "./run-types";

/** Pauses between tries of a write while the database is away: growing to 5 s, then every 5 s. */
const RETRY_DELAYS_MS = [100, 200, 400, 800, 1_600, 3_200, 5_000];
/** Tries of a write the database refused for its content. */
const REFUSED_WRITE_ATTEMPTS = 5;
/** While a write keeps failing, a log line at most this often. */
const LOG_EVERY_MS = 60_000;

/** SQLSTATE classes that say the statement itself is wrong (cardinality, data, constraint, syntax, unsupported). */
const PERMANENT_SQLSTATE_CLASSES = new Set(["21", "22", "23", "42", "0A"]);

export class RunWriter {
  private readonly unsaved = new Map<string, StepResult>();
  private chain: Promise<boolean> = Promise.resolve(true);

  /** `keepTrying` says whether the engine still runs (false once it stopped): until then a write is retried. */
  constructor(
    private readonly store: RunStore,
    private readonly run: ClaimedRun,
    private readonly keepTrying: () => boolean,
  ) {}

  /** A step result to include in the next write. */
  stepCompleted(stepId: string, result: StepResult): void {
    this.unsaved.set(stepId, result);
  }

  /**
   * Resolves false once the lease is lost, the run cancelled, or the write given up (the engine stopped,
   * or the database refused it): stop driving it.
   */
  write(write: RunWrite): Promise<boolean> {
    this.chain = this.chain.then(async (ok) => {
      if (!ok) return false;
      const progress = this.snapshot();
      const written = await this.writeWithRetry(progress, write);
      // Kept for a later write of this run, should one still get through.
      if (!written) for (const [id, result] of progress.newSteps) if (!this.unsaved.has(id)) this.unsaved.set(id, result);
      return written;
    });
    return this.chain;
  }

  private snapshot(): RunProgress {
    const newSteps = [...this.unsaved.entries()];
    this.unsaved.clear();
    return {
      attempt: this.run.attempt,
      infraFailures: this.run.infraFailures,
      stack: [...this.run.stack],
      pending: this.run.pending.map((p) => ({ ...p })),
      disableImmediateExecution: this.run.disableImmediateExecution,
      newSteps,
    };
  }

  private async writeWithRetry(progress: RunProgress, write: RunWrite): Promise<boolean> {
    let loggedAt = -Infinity;
    for (let attempt = 1; ; attempt++) {
      try {
        const owned = await this.store.write(this.run, progress, write);
        if (!owned) logger.warn("job run lease lost or run cancelled; stopping", { runId: this.run.id, functionId: this.run.functionId });
        else if (attempt > 1) logger.info("stored job run progress after the database came back", { runId: this.run.id, attempts: attempt });
        return owned;
      } catch (error) {
        const refused = isPermanentDatabaseError(error);
        if ((refused && attempt >= REFUSED_WRITE_ATTEMPTS) || !this.keepTrying()) {
          // The lease lapses and another worker resumes from the last write: at worst a step runs twice.
          logger.error("could not store job run progress; leaving it to lease recovery", { runId: this.run.id, attempts: attempt, error });
          return false;
        }
        if (performance.now() - loggedAt >= LOG_EVERY_MS) {
          loggedAt = performance.now();
          logger.warn("could not store job run progress; retrying", { runId: this.run.id, attempts: attempt, error });
        }
        await pause(RETRY_DELAYS_MS[Math.min(attempt, RETRY_DELAYS_MS.length) - 1]!);
      }
    }
  }
}

/** A timer that does not keep the process alive on its own (a stopped engine gives up at its next try). */
function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

/**
 * Whether the database refused the statement for what it says rather than for being unavailable. Errors
 * without a SQLSTATE (no connection, a timeout, a closed socket) are treated as passing.
 */
export function isPermanentDatabaseError(error: unknown): boolean {
  const code = sqlState(error);
  return code !== undefined && PERMANENT_SQLSTATE_CLASSES.has(code.slice(0, 2));
}
