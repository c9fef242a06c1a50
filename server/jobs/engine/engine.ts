/**
 * The local engine: plays the Inngest server's part for the app's functions when no Inngest server is
 * configured. Events become JobRun rows (durable from the moment `send` returns), a loop leases due runs
 * and drives them through the SDK's own serve handler, step results are JobStep rows.
 */
import { hostname } from "node:os";
import type { Inngest, InngestFunction } from "inngest";
import { getDb, type PrismaClient } from "../../db";
import { createFunctionCaller } from "./call-function";
import { CronTicker } from "./cron-ticker";
import { type Backoff, defaultBackoff } from "./durations";
import { uuidv7 } from "../../lib/ids";
import { logger } from "../../lib/logger";
import { ForegroundYield } from "./foreground-yield";
import { answersCheckpoints, toEngineEvent } from "./local-client";
import { type FunctionRegistry, type NewRun, syncFunctions } from "./registry";
import { executeRun, type ExecutorContext } from "./run-executor";
import { RunLoop } from "./run-loop";
import { RunStore } from "./run-store";
import type { RunStatus, RunView } from "./run-types";
import { findRun, findRuns } from "./run-views";
import { createServeEndpoint, type ServeEndpoint } from "./serve-endpoint";

export interface LocalEngineOptions {
  client: Inngest.Any;
  functions: InngestFunction.Any[];
  /** The serve handler to call; built from `client` and `functions` when omitted. */
  endpoint?: ServeEndpoint;
  /** Defaults to the process database (`getDb()`). */
  db?: PrismaClient | (() => Promise<PrismaClient>);
  /** Lease owner name; unique per process by default. */
  workerId?: string;
  /** Runs driven at once (default 32). */
  concurrency?: number;
  /** Delay before the next attempt, from the 0-based attempt that failed (default 1 s doubling, ±25 %, ≤ 10 min). */
  backoff?: Backoff;
  /** How often an idle loop looks for work created by other processes (default 1000 ms). */
  pollIntervalMs?: number;
  /** How long a claimed run stays leased without a heartbeat (default 30 s): the crash-recovery delay. */
  leaseMs?: number;
  /** Per call (default 5 min). A step call may block ~10 s in the SDK on top of the step's own run time. */
  callTimeoutMs?: number;
  /**
   * Consecutive infrastructure failures of a run's calls (no answer, 5xx, an unreadable answer) after which
   * the run fails and its onFailure runs (default 20: with the backoff, about two hours of retrying).
   */
  maxInfraFailures?: number;
  /** Signs calls and the sync; defaults to the client's signing key. A function is read at every call (key rotation). */
  signingKey?: string | (() => string);
  /**
   * Cross-process wake-up (PostgreSQL LISTEN/NOTIFY): a process that stores runs without running the loop
   * (the web process beside `npm run worker`) tells the workers at once; without it they find the runs at
   * their next poll.
   */
  signals?: { notify(channel: string): Promise<void>; listen(channel: string, onSignal: () => void): Promise<() => Promise<void>> };
  /**
   * The most foreground requests of this process in flight at once since the last call (`takeForegroundPeak`).
   * Given, the loop drives at most `yieldFloor` runs (default 4) while a crowd of them meets a saturated
   * event loop: a burst of sends is answered first, delivered right after (foreground-yield.ts).
   */
  foreground?: () => number;
  yieldFloor?: number;
}

const WAKE_CHANNEL = "courierx_job_runs";

export interface EnqueueResult {
  /** Event ids, as Inngest's event API answers them. */
  ids: string[];
  /** Runs created now (a run already started by the same idempotency key or event id is not repeated). */
  runIds: string[];
}

export interface LocalEngine {
  readonly workerId: string;
  /** Stores one run per matching function per event, then wakes the loop. */
  enqueue(events: unknown[]): Promise<EnqueueResult>;
  /**
   * For a caller that stores runs inside its own statement (the send API stores an email and the run that
   * delivers it in one: accept-email.ts): resolves, once the functions are synced, to what turns an event
   * into the rows enqueue would store for it (insert them with ON CONFLICT DO NOTHING); then runsStored().
   */
  runPlanner(): Promise<(event: unknown) => NewRun[]>;
  /** Runs were stored by a caller's own statement: wakes this process's loop, or signals the workers. */
  runsStored(): Promise<void>;
  /**
   * Starts the loop. `exclusive`: this process alone can open the database (PGlite), so runs leased at
   * start belong to a dead process and are resumed at once instead of after their lease lapses.
   */
  start(options?: { exclusive?: boolean }): Promise<void>;
  /** Graceful: stops claiming, lets calls in flight finish and hands their runs back (or leaves their leases to lapse after `timeoutMs`). */
  stop(options?: { timeoutMs?: number }): Promise<void>;
  /** Resolves when no run is due or in flight (`includeDelayed`: nor waiting on a sleep or backoff). */
  drain(options?: { timeoutMs?: number; includeDelayed?: boolean }): Promise<void>;
  /** Resolves with the run once it completed, failed or was cancelled. */
  waitForRun(runId: string, options?: { timeoutMs?: number }): Promise<RunView>;
  getRun(runId: string): Promise<RunView | null>;
  listRuns(filter?: { eventId?: string; functionId?: string; status?: RunStatus }): Promise<RunView[]>;
  cancelRun(runId: string): Promise<boolean>;
}

const DEFAULTS = { concurrency: 32, pollIntervalMs: 1000, leaseMs: 30_000, callTimeoutMs: 5 * 60_000, maxInfraFailures: 20, yieldFloor: 4 };

export function createLocalEngine(options: LocalEngineOptions): LocalEngine {
  return new Engine(options);
}

class Engine implements LocalEngine {
  readonly workerId: string;
  private readonly store: RunStore;
  private readonly db: () => Promise<PrismaClient>;
  private readonly endpoint: ServeEndpoint;
  private readonly settings: typeof DEFAULTS & { backoff: Backoff };
  private registryPromise: Promise<FunctionRegistry> | undefined;
  private loop: RunLoop | undefined;
  private cron: CronTicker | undefined;
  private yielder: ForegroundYield | undefined;
  private starting: Promise<void> | undefined;
  private stopListening: (() => Promise<void>) | undefined;
  private notifyInFlight: Promise<void> | undefined;
  private notifyNext: Promise<void> | undefined;

  constructor(private readonly options: LocalEngineOptions) {
    this.workerId = options.workerId ?? `${hostname()}:${process.pid}:${uuidv7().slice(-8)}`;
    this.endpoint = options.endpoint ?? createServeEndpoint(options.client, options.functions);
    this.settings = {
      concurrency: options.concurrency ?? DEFAULTS.concurrency,
      pollIntervalMs: options.pollIntervalMs ?? DEFAULTS.pollIntervalMs,
      leaseMs: options.leaseMs ?? DEFAULTS.leaseMs,
      callTimeoutMs: options.callTimeoutMs ?? DEFAULTS.callTimeoutMs,
      maxInfraFailures: options.maxInfraFailures ?? DEFAULTS.maxInfraFailures,
      yieldFloor: options.yieldFloor ?? DEFAULTS.yieldFloor,
      backoff: options.backoff ?? defaultBackoff,
    };
    const db = options.db;
    this.db = typeof db === "function" ? db : db ? () => Promise.resolve(db) : getDb;
    this.store = new RunStore(this.db, this.workerId, this.settings.leaseMs);
  }

  private signingKey(): string {
    const option = this.options.signingKey;
    const key = typeof option === "function" ? option() : (option ?? this.options.client.signingKey);
    if (!key) throw new Error("the local engine needs a signing key (the client has none)");
    return key;
  }

  /** Synced once, on first use; a failed sync is retried by the next caller. */
  private registry(): Promise<FunctionRegistry> {
    this.registryPromise ??= syncFunctions(this.endpoint, this.signingKey()).catch((error: unknown) => {
      this.registryPromise = undefined;
      throw error;
    });
    return this.registryPromise;
  }

  async enqueue(events: unknown[]): Promise<EnqueueResult> {
    const now = Date.now();
    const received = events.map((e) => toEngineEvent(e, () => uuidv7(now), now));
    const registry = await this.registry();
    const runIds = await this.store.insertRuns(received.flatMap((event) => registry.runsForEvent(event)));
    if (runIds.length > 0) await this.runsStored();
    return { ids: received.map((e) => e.id), runIds };
  }

  async runPlanner(): Promise<(event: unknown) => NewRun[]> {
    const registry = await this.registry();
    return (event) => {
      const now = Date.now();
      return registry.runsForEvent(toEngineEvent(event, () => uuidv7(now), now));
    };
  }

  runsStored(): Promise<void> {
    if (this.loop?.running) {
      this.loop.wake();
      return Promise.resolve();
    }
    return this.notifyWorkers();
  }

  /**
   * One NOTIFY at a time: callers arriving while one is in flight share the next one, sent once it is done
   * (theirs must follow their insert's commit), so a burst of sends costs the database a few signals, not one each.
   */
  private notifyWorkers(): Promise<void> {
    if (!this.options.signals) return Promise.resolve();
    if (!this.notifyInFlight) {
      this.notifyInFlight = this.sendSignal().finally(() => {
        this.notifyInFlight = undefined;
      });
      return this.notifyInFlight;
    }
    this.notifyNext ??= this.notifyInFlight.then(() => {
      this.notifyNext = undefined;
      return this.notifyWorkers();
    });
    return this.notifyNext;
  }

  /** The runs are stored either way: a failed signal only costs the workers their next poll. */
  private async sendSignal(): Promise<void> {
    try {
      await this.options.signals?.notify(WAKE_CHANNEL);
    } catch (error) {
      logger.warn("could not signal the job workers; they will find the runs at their next poll", { error: error instanceof Error ? error.message : String(error) });
    }
  }

  start(options: { exclusive?: boolean } = {}): Promise<void> {
    if (this.loop?.running) return Promise.resolve();
    // Two callers starting at once (instrumentation and a test, say) share one start: one loop only.
    this.starting ??= this.startLoop(options).finally(() => {
      this.starting = undefined;
    });
    return this.starting;
  }

  private async startLoop(options: { exclusive?: boolean }): Promise<void> {
    const registry = await this.registry();
    if (options.exclusive) await this.store.recoverLeases(true);
    const context: ExecutorContext = {
      store: this.store,
      registry,
      call: createFunctionCaller(this.endpoint, { signingKey: () => this.signingKey(), timeoutMs: this.settings.callTimeoutMs }),
      backoff: this.settings.backoff,
      stopping: () => loop.stopping,
      stopped: () => loop.stopped,
      wakeAt: (at) => loop.wakeAt(at),
      wake: () => loop.wake(),
      maxInfraFailures: this.settings.maxInfraFailures,
      checkpoints: answersCheckpoints(this.options.client),
    };
    const foreground = this.options.foreground;
    const yielder = foreground
      ? new ForegroundYield({ peak: foreground, full: this.settings.concurrency, floor: this.settings.yieldFloor, onRelease: () => loop.wake() })
      : undefined;
    const loop: RunLoop = new RunLoop({
      ...this.settings,
      ...(yielder ? { capacity: () => yielder.capacity(), holdBeyondCapacity: options.exclusive === true } : {}),
      claim: (batch) => this.store.claim(batch, registry.functionIds(), registry.concurrencyLimits()),
      execute: (run) => executeRun(context, run),
      hasConcurrencyLimit: (run) => registry.get(run.functionId)?.concurrency !== undefined,
      renewLeases: (runs) => this.store.renewLeases(runs),
      recoverLeases: (driving) => this.store.recoverLeases(false, driving.map((run) => run.lease)),
    });
    this.loop = loop;
    this.yielder = yielder;
    loop.start();
    yielder?.start();
    if (this.options.signals) {
      this.stopListening = await this.options.signals.listen(WAKE_CHANNEL, () => loop.wake()).catch((error: unknown) => {
        logger.warn("not listening for job signals; polling only", { error: error instanceof Error ? error.message : String(error) });
        return undefined;
      });
    }
    this.cron = new CronTicker(registry, async (runs) => {
      if ((await this.store.insertRuns(runs)).length > 0) loop.wake();
    });
    this.cron.start();
  }

  async stop(options: { timeoutMs?: number } = {}): Promise<void> {
    this.cron?.stop();
    await this.stopListening?.();
    this.stopListening = undefined;
    this.yielder?.stop();
    await this.loop?.stop(options.timeoutMs ?? 30_000);
  }

  async drain(options: { timeoutMs?: number; includeDelayed?: boolean } = {}): Promise<void> {
    const loop = this.loop;
    if (!loop?.running) throw new Error("drain() needs a started engine");
    const timeoutMs = options.timeoutMs ?? 30_000;
    const deadline = Date.now() + timeoutMs;
    const functionIds = (await this.registry()).functionIds();
    for (;;) {
      if (!loop.busy) {
        const unfinished = await this.store.countUnfinished(functionIds, options.includeDelayed ?? false);
        if (unfinished === 0 && !loop.busy) return;
      }
      if (Date.now() > deadline) throw new Error(`drain() timed out after ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 15));
    }
  }

  async waitForRun(runId: string, options: { timeoutMs?: number } = {}): Promise<RunView> {
    const timeoutMs = options.timeoutMs ?? 30_000;
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const run = await findRun(await this.db(), runId);
      if (run && ["completed", "failed", "cancelled"].includes(run.status)) return run;
      if (Date.now() > deadline) throw new Error(`run ${runId} did not finish within ${timeoutMs} ms (status ${run?.status ?? "missing"})`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  async getRun(runId: string): Promise<RunView | null> {
    return findRun(await this.db(), runId);
  }

  async listRuns(filter?: { eventId?: string; functionId?: string; status?: RunStatus }): Promise<RunView[]> {
    return findRuns(await this.db(), filter);
  }

  cancelRun(runId: string): Promise<boolean> {
    return this.store.cancelRun(runId);
  }
}
