/**
 * The writes of one run, in order: each carries the run's current state and the steps completed since the
 * previous write. Parallel branches write as soon as they finish; a write waits for the one before it.
 * A database error is retried a few times within the lease before the run is left to lease recovery.
 */
import { logger } from "../../lib/logger";
import type { StepResult } from "./protocol";
import type { RunStore } from "./run-store";
import type { ClaimedRun, RunProgress, RunWrite } from "./run-types";

/** How often a write that failed (database unreachable) is tried before the lease is left to lapse. */
const WRITE_ATTEMPTS = 5;

export class RunWriter {
  private readonly unsaved = new Map<string, StepResult>();
  private chain: Promise<boolean> = Promise.resolve(true);

  constructor(
    private readonly store: RunStore,
    private readonly run: ClaimedRun,
  ) {}

  /** A step result to include in the next write. */
  stepCompleted(stepId: string, result: StepResult): void {
    this.unsaved.set(stepId, result);
  }

  /** Resolves false once the lease is lost, the run cancelled, or the database unreachable: stop driving it. */
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
    for (let attempt = 1; ; attempt++) {
      try {
        const owned = await this.store.write(this.run, progress, write);
        if (!owned) logger.warn("job run lease lost or run cancelled; stopping", { runId: this.run.id, functionId: this.run.functionId });
        return owned;
      } catch (error) {
        if (attempt >= WRITE_ATTEMPTS) {
          // The lease lapses and another worker resumes from the last write: at worst a step runs twice.
          logger.error("could not store job run progress; leaving it to lease recovery", { runId: this.run.id, error });
          return false;
        }
        await new Promise((resolve) => setTimeout(resolve, 100 * 2 ** attempt));
      }
    }
  }
}
