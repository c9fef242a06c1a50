/**
 * Fires cron triggers: at each tick, one run of the function with an `inngest/scheduled.timer` event.
 * Every worker ticks; the event id (function + tick time) makes the run unique, so only one is created.
 * Ticks missed while no worker ran are not replayed (as Inngest, a schedule is not a backlog).
 */
import { logger } from "../../lib/logger";
import type { FunctionRegistry, NewRun } from "./registry";

const RETRY_MS = 5_000;

export class CronTicker {
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  /** Ticks up to here (epoch ms) have been handled. */
  private checkedUntil = Date.now();

  constructor(
    private readonly registry: FunctionRegistry,
    private readonly createRuns: (runs: NewRun[]) => Promise<void>,
  ) {}

  start(): void {
    if (this.registry.cronFunctions().length === 0) return;
    this.schedule();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
  }

  private schedule(): void {
    if (this.stopped) return;
    const next = this.nextTick(this.checkedUntil);
    if (next === undefined) return;
    // setTimeout's limit is ~24.8 days; a farther tick is simply re-checked then.
    const delay = Math.min(Math.max(0, next - Date.now()), 2 ** 31 - 1);
    this.timer = setTimeout(() => this.fireSafely(), delay);
    this.timer.unref();
  }

  private nextTick(afterMs: number): number | undefined {
    let earliest: number | undefined;
    for (const fn of this.registry.cronFunctions()) {
      for (const cron of fn.crons) {
        const next = cron.next(afterMs);
        if (earliest === undefined || next < earliest) earliest = next;
      }
    }
    return earliest;
  }

  private async fire(): Promise<void> {
    const now = Date.now();
    const runs: NewRun[] = [];
    for (const fn of this.registry.cronFunctions()) {
      for (const cron of fn.crons) {
        for (let tick = cron.next(this.checkedUntil); tick <= now; tick = cron.next(tick)) {
          const run = this.registry.runForCronTick(fn.id, cron.source, tick);
          if (run) runs.push(run);
        }
      }
    }
    try {
      await this.createRuns(runs);
      this.checkedUntil = now;
      this.schedule();
    } catch (error) {
      logger.error("could not start scheduled job runs; retrying", { error });
      // The same ticks are tried again: their event ids keep a late retry from creating doubles.
      this.timer = setTimeout(() => this.fireSafely(), RETRY_MS);
      this.timer.unref();
    }
  }

  private fireSafely(): void {
    if (this.stopped) return;
    this.fire().catch((error: unknown) => logger.error("cron ticker crashed", { error }));
  }
}
