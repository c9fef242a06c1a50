/**
 * The loop gives way to the API in its own process. When a crowd of foreground requests
 * (server/lib/foreground.ts: 4 or more in flight at once) meets a saturated event loop (busy for at least
 * 90% of a 100 ms sample), the loop drives at most `floor` runs; the runs it claimed wait, leased, for a
 * slot. It gets its full concurrency back once a sample sees fewer than 4 at once, or an event loop under
 * 60% busy. A client polling a status or a dashboard page (one or two requests at a time) is no crowd.
 * It yields for at most 5 s at a stretch, then drives its full concurrency for at least 1 s: a crowd that
 * never ends (or one made to keep the loop at its floor) slows delivery, it cannot stop it.
 *
 * - Delivery through real providers is I/O (100-300 ms per call, the event loop mostly idle): it is never
 *   throttled.
 * - CPU-bound delivery (PGlite in this thread, providers on the same machine) gives way. Without this, a
 *   burst of sends waited behind the statements and handler calls of 32 runs: seconds for its first answers.
 * - An accepted email is durable from its 202: yielding only moves its delivery after the burst. The floor
 *   keeps delivering while a burst lasts.
 */
import { type EventLoopUtilization, performance } from "node:perf_hooks";

export interface ForegroundYieldOptions {
  /** The most foreground requests in flight at once since the last call (`takeForegroundPeak`). */
  peak(): number;
  /** The loop's concurrency. */
  full: number;
  /** Runs driven at most while yielding (at least 1). */
  floor: number;
  /** Called when yielding ends, so that the loop claims up to `full` again. */
  onRelease(): void;
  sampleMs?: number;
}

const SATURATED = 0.9;
const RELAXED = 0.6;
const CROWD = 4;
const MAX_YIELD_MS = 5_000;
const MIN_FULL_MS = 1_000;

export class ForegroundYield {
  private yielding = false;
  private yieldingSince = 0;
  private fullSince = Number.NEGATIVE_INFINITY;
  private timer: NodeJS.Timeout | undefined;
  private last: EventLoopUtilization | undefined;
  private readonly floor: number;

  constructor(private readonly options: ForegroundYieldOptions) {
    this.floor = Math.max(1, Math.min(options.floor, options.full));
  }

  /** The runs the loop may drive now. */
  capacity(): number {
    return this.yielding ? this.floor : this.options.full;
  }

  start(): void {
    if (this.timer) return;
    this.last = performance.eventLoopUtilization();
    this.timer = setInterval(() => this.sample(), this.options.sampleMs ?? 100);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
    this.release();
  }

  private sample(): void {
    const sampled = performance.eventLoopUtilization();
    const busy = performance.eventLoopUtilization(sampled, this.last).utilization;
    this.last = sampled;
    const peak = this.options.peak();
    const now = performance.now();
    if (peak < CROWD || busy < RELAXED || (this.yielding && now - this.yieldingSince >= MAX_YIELD_MS)) this.release(now);
    else if (!this.yielding && busy >= SATURATED && now - this.fullSince >= MIN_FULL_MS) {
      this.yielding = true;
      this.yieldingSince = now;
    }
  }

  private release(now = performance.now()): void {
    if (!this.yielding) return;
    this.yielding = false;
    this.fullSince = now;
    this.options.onRelease();
  }
}
