/**
 * The scheduler: claims due runs in batches while slots are free, drives up to `concurrency` of them at
 * once, keeps their leases alive, and hands lapsed leases of dead workers back to the queue. It sleeps
 * when there is nothing to claim and wakes at once on an in-process event, at a run's known due time,
 * or after `pollIntervalMs` (work created by another process).
 */
import { logger } from "../../lib/logger";
import type { ClaimedRun } from "./run-types";

const MAX_TIMER_MS = 2 ** 31 - 1;

export interface RunLoopOptions {
  concurrency: number;
  /** The runs it may drive at once now, at most `concurrency` (default `concurrency`; see foreground-yield.ts). */
  capacity?: () => number;
  /**
   * Claims still take up to `concurrency` runs while the capacity is lower; the rest wait, leased, for a slot.
   * For a loop no other worker could take them from (PGlite: one process). Otherwise it holds at most one
   * refill batch beyond its capacity (claims stay batched) and leaves the rest to the other workers.
   */
  holdBeyondCapacity?: boolean;
  pollIntervalMs: number;
  leaseMs: number;
  claim(batch: number): Promise<ClaimedRun[]>;
  execute(run: ClaimedRun): Promise<void>;
  /** Whether the run's function has a concurrency limit: its end may unblock a run waiting on its key. */
  hasConcurrencyLimit(run: ClaimedRun): boolean;
  renewLeases(runs: ClaimedRun[]): Promise<void>;
  /**
   * Hands back runs whose lease lapsed, except those this loop is driving (`driving`): their lease lapses
   * only when renewals failed (the database was away), and their executor still means to write. Returns
   * how many runs were handed back.
   */
  recoverLeases(driving: ClaimedRun[]): Promise<number>;
}

/** Larger claims amortize the claim transaction; smaller ones spread work between workers. */
const MAX_CLAIM_BATCH = 32;
/**
 * With a backlog, claim again only once this share of the slots is free: a claim is a transaction of
 * several statements, and claiming for every finished run would cost more than the run itself.
 */
const REFILL_SHARE = 4;

export class RunLoop {
  /** By claim, not by run id: a run claimed again after its lease lapsed is a second execution. */
  private readonly inFlight = new Map<ClaimedRun, Promise<void>>();
  /** Claimed (and leased) runs waiting for a slot while the capacity is below the concurrency. */
  private readonly held: ClaimedRun[] = [];
  private state: "idle" | "running" | "stopping" | "stopped" = "idle";
  private loopDone: Promise<void> = Promise.resolve();
  private wakeRequested = false;
  private wakeSleeper: (() => void) | undefined;
  private dueTimer: { at: number; timer: NodeJS.Timeout } | undefined;
  private intervals: NodeJS.Timeout[] = [];
  /** The last claim took all it asked for, or new work arrived since: there is a backlog to claim. */
  private moreMayBeDue = false;
  private claiming = false;
  private claimFailures = 0;

  private readonly refillBatch: number;

  constructor(private readonly options: RunLoopOptions) {
    this.refillBatch = Math.max(1, Math.floor(options.concurrency / REFILL_SHARE));
  }

  /** How many runs it may hold leases of: driven, or waiting for a slot. */
  private claimLimit(): number {
    const { concurrency } = this.options;
    return this.options.holdBeyondCapacity ? concurrency : Math.min(concurrency, this.capacity() + this.refillBatch);
  }

  /** With a backlog, claim again once this many can be claimed. */
  private refillAt(): number {
    return Math.min(this.refillBatch, this.claimLimit());
  }

  private capacity(): number {
    return Math.min(this.options.concurrency, this.options.capacity?.() ?? this.options.concurrency);
  }

  /** Every run this loop holds a lease of: driven or waiting for a slot. */
  private claimed(): ClaimedRun[] {
    return [...this.inFlight.keys(), ...this.held];
  }

  /** Starts waiting runs while slots are free (all of them once stopping: their executors hand them back). */
  private startHeld(): void {
    const capacity = this.state === "running" ? this.capacity() : Infinity;
    while (this.held.length > 0 && this.inFlight.size < capacity) this.launch(this.held.shift()!);
  }

  get running(): boolean {
    return this.state === "running";
  }

  get stopping(): boolean {
    return this.state === "stopping" || this.state === "stopped";
  }

  /** Stopped for good: `stop()` no longer waits for the runs in flight. */
  get stopped(): boolean {
    return this.state === "stopped";
  }

  /** Nothing claimed and nothing being claimed: what `drain()` waits for besides the database. */
  get busy(): boolean {
    return this.inFlight.size > 0 || this.held.length > 0 || this.claiming;
  }

  start(): void {
    if (this.state !== "idle") return;
    this.state = "running";
    const { leaseMs } = this.options;
    this.intervals = [
      setInterval(() => this.renewLeases(), Math.max(250, Math.floor(leaseMs / 3))),
      setInterval(() => this.recoverLeases(), Math.max(500, Math.min(5_000, Math.floor(leaseMs / 2)))),
    ];
    // Timers must never keep a process alive on their own: the web server or the worker script does that.
    for (const interval of this.intervals) interval.unref();
    this.runLoop();
  }

  private runLoop(): void {
    this.loopDone = this.loop().catch((error: unknown) => {
      logger.error("job loop crashed; restarting it", { error });
      if (this.state === "running") setTimeout(() => this.runLoop(), 1_000).unref();
    });
  }

  /** Claim now: new runs exist (in-process event, recovered leases, onFailure runs). */
  wake(): void {
    this.moreMayBeDue = true;
    this.signal();
  }

  private signal(): void {
    this.wakeRequested = true;
    this.wakeSleeper?.();
  }

  /** A run becomes due at `atMs`; wake then instead of waiting for the next poll. */
  wakeAt(atMs: number): void {
    if (!this.running) return;
    const delay = atMs - Date.now();
    if (delay <= 0) {
      this.wake();
      return;
    }
    // Beyond setTimeout's range (~24.8 days; it would fire at once): the polling finds the run when due.
    if (delay > MAX_TIMER_MS) return;
    if (this.dueTimer && this.dueTimer.at <= atMs) return;
    if (this.dueTimer) clearTimeout(this.dueTimer.timer);
    const timer = setTimeout(() => {
      this.dueTimer = undefined;
      this.wake();
    }, delay);
    timer.unref();
    this.dueTimer = { at: atMs, timer };
  }

  /**
   * Stops claiming; runs in flight finish their current call and are handed back. Resolves when they
   * have, or after `timeoutMs` (their leases then lapse and another worker resumes them).
   */
  async stop(timeoutMs: number): Promise<void> {
    if (this.state === "idle" || this.state === "stopped") {
      this.state = "stopped";
      return;
    }
    this.state = "stopping";
    for (const interval of this.intervals) clearInterval(interval);
    if (this.dueTimer) clearTimeout(this.dueTimer.timer);
    this.wake();
    await this.loopDone;
    this.startHeld();
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<"timeout">((resolve) => {
      timer = setTimeout(() => resolve("timeout"), timeoutMs);
    });
    const result = await Promise.race([Promise.all(this.inFlight.values()).then(() => "done" as const), timedOut]);
    clearTimeout(timer);
    if (result === "timeout") logger.warn("job engine stopped with runs still in flight; their leases will lapse", { runIds: [...this.inFlight.keys()].map((r) => r.id) });
    this.state = "stopped";
  }

  private async loop(): Promise<void> {
    while (this.state === "running") {
      this.wakeRequested = false;
      this.startHeld();
      const claimed = this.inFlight.size + this.held.length;
      const free = this.claimLimit() - claimed;
      // Idle or without a known backlog, any free slot is worth a claim (latency); with a backlog, wait
      // for a batch's worth of free slots (throughput).
      const threshold = this.moreMayBeDue && claimed > 0 ? this.refillAt() : 1;
      if (free >= threshold) {
        const batch = Math.min(free, MAX_CLAIM_BATCH);
        const runs = await this.claim(batch);
        this.held.push(...runs);
        this.startHeld();
        if (this.state !== "running") return;
        this.moreMayBeDue = runs.length === batch;
        if (this.moreMayBeDue && free > batch) continue;
      }
      if (!this.wakeRequested) await this.sleep(this.claimFailures > 0 ? Math.min(30_000, 500 * 2 ** this.claimFailures) : this.options.pollIntervalMs);
    }
  }

  private async claim(batch: number): Promise<ClaimedRun[]> {
    this.claiming = true;
    try {
      const runs = await this.options.claim(batch);
      this.claimFailures = 0;
      return runs;
    } catch (error) {
      this.claimFailures++;
      logger.error("could not claim job runs", { error, failures: this.claimFailures });
      return [];
    } finally {
      this.claiming = false;
    }
  }

  private launch(run: ClaimedRun): void {
    // Claimed while stopping, it goes straight back: the executor sees `stopping` and releases it.
    const driven = this.options
      .execute(run)
      .catch((error: unknown) => logger.error("job run executor crashed; its lease will lapse", { runId: run.id, error }))
      .finally(() => {
        this.inFlight.delete(run);
        this.startHeld();
        const claimed = this.inFlight.size + this.held.length;
        const free = this.claimLimit() - claimed;
        // With a backlog, refill once enough slots are free; without, a run may be waiting on this
        // run's concurrency key. Otherwise new work wakes the loop itself.
        if (this.moreMayBeDue ? free >= this.refillAt() || claimed === 0 : this.options.hasConcurrencyLimit(run)) this.signal();
      });
    this.inFlight.set(run, driven);
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      timer.unref();
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wakeSleeper = () => {
        this.wakeSleeper = undefined;
        done();
      };
    });
  }

  private renewLeases(): void {
    const claimed = this.claimed();
    if (claimed.length === 0) return;
    this.options.renewLeases(claimed).catch((error: unknown) => logger.error("could not renew job leases", { error }));
  }

  private recoverLeases(): void {
    this.options
      .recoverLeases(this.claimed())
      .then((recovered) => {
        if (recovered > 0) {
          logger.warn("resuming job runs of a worker whose lease lapsed", { runs: recovered });
          this.wake();
        }
      })
      .catch((error: unknown) => logger.error("could not recover lapsed job leases", { error }));
  }
}
