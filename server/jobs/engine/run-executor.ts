/**
 * Drives one leased run through protocol rounds until it finishes or must wait (sleep, backoff): the
 * Inngest server's part for a single run. After every answer the new state is written (RunWriter)
 * before the next call, so a step that completed is never executed again, even if this process dies.
 */
import { randomUUID } from "node:crypto";
import { logger } from "../../lib/logger";
import type { FunctionCaller } from "./call-function";
import { type CheckpointOutcome, openCheckpoints } from "./checkpoints";
import type { Backoff } from "./durations";
import { sleepUntil } from "./durations";
import {
  type CallBody,
  type CallOutcome,
  DISCOVERY_STEP,
  engineError,
  FUNCTION_FAILED_EVENT,
  OpCode,
  type ReportedOp,
  type SerializedError,
  type StepResult,
  toSerializedError,
} from "./protocol";
import type { FunctionDefinition, FunctionRegistry } from "./registry";
import type { RunStore } from "./run-store";
import type { ClaimedRun, PendingStep, RunWrite } from "./run-types";
import { RunWriter } from "./run-writer";

export interface ExecutorContext {
  store: RunStore;
  registry: FunctionRegistry;
  call: FunctionCaller;
  backoff: Backoff;
  /** True once the engine stops: finish the call in progress, then hand the run back. */
  stopping(): boolean;
  /** True once the engine has stopped (its stop waited as long as it would): a failing write is given up. */
  stopped(): boolean;
  /** A released run becomes due at `atMs`: wake the loop then rather than at the next poll. */
  wakeAt(atMs: number): void;
  /** Runs were created (onFailure): claim them now. */
  wake(): void;
  /**
   * Consecutive infrastructure faults (no answer, 5xx, an unreadable answer) after which the run fails
   * and its onFailure runs. They spend no attempt; the count is stored on the run and reset by any answer.
   */
  maxInfraFailures: number;
  /**
   * The client's checkpoints reach the engine in-process (local-client.ts): discovery calls ask the SDK to
   * checkpoint each step and go on, so a run of one step completes in one call (checkpoints.ts).
   */
  checkpoints: boolean;
}

/** Ops that are real steps the local engine cannot serve: memoized as an error the function can catch. */
const UNSUPPORTED_STEP_OPS: Record<string, string> = {
  WaitForEvent: "step.waitForEvent",
  WaitForSignal: "step.waitForSignal",
  InvokeFunction: "step.invoke",
  AIGateway: "step.ai.infer",
  Gateway: "step.fetch",
};

export async function executeRun(ctx: ExecutorContext, claimed: ClaimedRun): Promise<void> {
  const definition = ctx.registry.get(claimed.functionId);
  if (!definition) {
    // The claim only takes runs of known functions; this guards a registry swapped under a running loop.
    await new RunDriver(ctx, claimed, { id: claimed.functionId, maxAttempts: 1, eventTriggers: [], crons: [] }).release(Date.now() + 60_000);
    return;
  }
  await new RunDriver(ctx, claimed, definition).drive();
}

class RunDriver {
  private readonly writer: RunWriter;
  private finished = false;
  /** The engine began stopping during a call: its checkpoint was stored and the SDK told to stop there. */
  private stoppedAtCheckpoint = false;

  constructor(
    private readonly ctx: ExecutorContext,
    private readonly run: ClaimedRun,
    private readonly fn: FunctionDefinition,
  ) {
    this.writer = new RunWriter(ctx.store, run, () => !ctx.stopped());
  }

  async drive(): Promise<void> {
    while (!this.finished) {
      if (this.ctx.stopping()) {
        await this.release(Date.now());
        return;
      }
      if (this.run.pending.length === 0) await this.discover();
      else await this.runPending();
    }
  }

  /** A `stepId=step` call: memoize what ran, learn what is next. */
  private async discover(): Promise<void> {
    const outcome = await this.call(DISCOVERY_STEP, this.run.attempt);
    // A checkpoint of this call could not be stored (lease lost, write given up): the answer is not ours to apply.
    if (this.finished) return;
    // The SDK stopped after a stored checkpoint because the engine is stopping: hand the run back from there.
    if (this.stoppedAtCheckpoint) {
      await this.release(Date.now());
      return;
    }
    switch (outcome.kind) {
      case "complete":
        await this.finish({ kind: "complete", output: outcome.output });
        return;
      case "ops":
        await this.applyDiscoveredOps(outcome.ops, outcome.retryAfterMs);
        return;
      case "retry":
        await this.discoveryFailed(outcome);
        return;
      case "failed":
        await this.fail(outcome.error);
        return;
      case "infra":
        await this.infraFault(outcome);
        return;
    }
  }

  /** The function body threw (or the call timed out): the same call again after a backoff. */
  private async discoveryFailed(outcome: Extract<CallOutcome, { kind: "retry" }>): Promise<void> {
    // The SDK itself answers "failed" on the last attempt; this is a guard.
    if (this.run.attempt + 1 >= this.fn.maxAttempts) {
      await this.fail(outcome.error);
      return;
    }
    const delay = outcome.retryAfterMs ?? this.ctx.backoff(this.run.attempt);
    this.run.attempt += 1;
    await this.release(Date.now() + delay);
  }

  private async applyDiscoveredOps(ops: ReportedOp[], retryAfterMs: number | undefined): Promise<void> {
    const now = Date.now();
    // Several ops at once means parallel steps: from now on the SDK must plan every step before running it.
    if (ops.length > 1) this.run.disableImmediateExecution = true;
    const known = this.run.stack.length + this.run.pending.length;
    let output: { value: unknown } | undefined;
    for (const op of ops) {
      if (this.isMemoized(op.id) && op.op !== OpCode.RunComplete) continue;
      switch (op.op) {
        case OpCode.StepRun:
          this.memoize(op.id, { data: op.data ?? null });
          break;
        case OpCode.StepFailed:
          this.memoize(op.id, { error: toSerializedError(op.error, "step failed") });
          break;
        case OpCode.StepError: {
          // The step ran inline (immediate execution) and threw: retry it by id, on its own attempt count.
          const attempt = this.run.attempt + 1;
          if (attempt >= this.fn.maxAttempts) this.memoize(op.id, { error: toSerializedError(op.error, "step failed") });
          else this.addPending({ ...pendingFields(op), op: "StepPlanned", attempt, notBefore: now + (retryAfterMs ?? this.ctx.backoff(this.run.attempt)) });
          break;
        }
        case OpCode.StepPlanned:
          this.addPending({ ...pendingFields(op), op: "StepPlanned", attempt: 0 });
          break;
        case OpCode.Sleep: {
          const until = sleepUntil(op.name ?? "", now);
          if (until === undefined) this.memoize(op.id, { error: engineError("InvalidSleepError", `cannot read the sleep duration "${op.name ?? ""}"`) });
          else this.addPending({ ...pendingFields(op), op: "Sleep", attempt: 0, notBefore: until });
          break;
        }
        case OpCode.RunComplete:
          output = { value: op.data ?? null };
          break;
        default: {
          const tool = UNSUPPORTED_STEP_OPS[op.op];
          if (!tool) {
            await this.fail(engineError("UnsupportedOperationError", `the local engine cannot handle the "${op.op}" op of ${this.fn.id}`));
            return;
          }
          this.memoize(op.id, {
            error: engineError("UnsupportedStepError", `${tool} (step "${op.displayName ?? op.name ?? op.id}") is not supported by the CourierX local engine; it needs Inngest Cloud`),
          });
        }
      }
    }
    if (output) {
      await this.finish({ kind: "complete", output: output.value });
    } else if (this.run.stack.length + this.run.pending.length === known) {
      // Only ops already known: calling again would loop. Spend an attempt, like a failed call.
      await this.discoveryFailed({ kind: "retry", error: engineError("ProtocolError", "the function reported no new step") });
    } else {
      await this.save();
    }
  }

  /** Due sleeps end; due planned steps are called, in parallel, each written as soon as it answers. */
  private async runPending(): Promise<void> {
    const now = Date.now();
    const due = this.run.pending.filter((p) => (p.notBefore ?? 0) <= now);
    if (due.length === 0) {
      await this.release(Math.min(...this.run.pending.map((p) => p.notBefore ?? now)));
      return;
    }
    for (const sleep of due.filter((p) => p.op === "Sleep")) this.memoize(sleep.id, { data: null });
    const planned = due.filter((p) => p.op === "StepPlanned");
    if (planned.length === 0) {
      await this.save();
      return;
    }
    const runLevel: RunWrite[] = [];
    await Promise.all(
      planned.map(async (step) => {
        const write = await this.runPlannedStep(step);
        if (write) runLevel.push(write);
        else if (!this.finished) await this.save();
      }),
    );
    const first = runLevel[0];
    if (first && !this.finished) await this.finish(first);
  }

  /** Returns a run-level write when the answer ends the run, otherwise updates the step in place. */
  private async runPlannedStep(step: PendingStep): Promise<RunWrite | undefined> {
    const outcome = await this.call(step.id, step.attempt);
    const now = Date.now();
    switch (outcome.kind) {
      case "ops": {
        const op = outcome.ops.find((o) => o.id === step.id);
        if (!op) return this.unexpected(`the call for step ${step.id} reported other ops`);
        if (op.op === OpCode.StepRun) this.memoize(step.id, { data: op.data ?? null });
        else if (op.op === OpCode.StepFailed) this.memoize(step.id, { error: toSerializedError(op.error, "step failed") });
        else if (op.op === OpCode.StepError) this.retryStep(step, toSerializedError(op.error, "step failed"), outcome.retryAfterMs, now);
        else return this.unexpected(`the call for step ${step.id} answered a ${op.op} op`);
        return undefined;
      }
      case "retry":
        // A 500 here is the SDK not finding the step (code changed mid-run) or a timeout: the step's attempt.
        this.retryStep(step, outcome.error, outcome.retryAfterMs, now);
        return undefined;
      case "complete":
        return { kind: "complete", output: outcome.output };
      case "failed":
        return this.failure(outcome.error);
      case "infra": {
        const faults = this.countInfraFault(outcome);
        if (faults >= this.ctx.maxInfraFailures) return this.failure(this.infraGiveUp(outcome, faults));
        step.notBefore = now + this.ctx.backoff(faults - 1);
        return undefined;
      }
    }
  }

  private retryStep(step: PendingStep, error: SerializedError, retryAfterMs: number | undefined, now: number): void {
    if (step.attempt + 1 >= this.fn.maxAttempts) {
      this.memoize(step.id, { error });
      return;
    }
    step.notBefore = now + (retryAfterMs ?? this.ctx.backoff(step.attempt));
    step.attempt += 1;
  }

  private unexpected(message: string): RunWrite {
    return this.failure(engineError("ProtocolError", message));
  }

  private async call(stepId: string, attempt: number): Promise<CallOutcome> {
    const body: CallBody = {
      event: this.run.event,
      events: [this.run.event],
      steps: this.run.steps,
      ctx: {
        run_id: this.run.id,
        attempt,
        max_attempts: this.fn.maxAttempts,
        disable_immediate_execution: this.run.disableImmediateExecution,
        use_api: false,
        stack: { stack: this.run.stack, current: this.run.stack.length },
      },
      version: 2,
    };
    // Checkpointing applies to discovery calls that may run a step inline (the SDK's own rule).
    const checkpointed = this.ctx.checkpoints && stepId === DISCOVERY_STEP && !this.run.disableImmediateExecution;
    let close: (() => void) | undefined;
    let inFlight = true;
    if (checkpointed) {
      const queueItemId = randomUUID();
      body.ctx.fn_id = this.fn.id;
      body.ctx.qi_id = queueItemId;
      close = openCheckpoints(queueItemId, (ops) => this.acceptCheckpoint(ops, () => inFlight));
    }
    try {
      const outcome = await this.ctx.call({ functionId: this.fn.id, stepId }, body);
      if (outcome.kind !== "infra") this.run.infraFailures = 0;
      return outcome;
    } finally {
      // A call that timed out may still checkpoint later: refused (409), so the SDK stops that execution.
      inFlight = false;
      close?.();
    }
  }

  /**
   * Steps the SDK ran inside the current call: memoized and written (fenced by the lease) before the SDK is
   * told to go on, exactly as if they had come in a 206. Only completed steps are taken; anything else is
   * refused, and the SDK then answers it in its 206 instead.
   */
  private async acceptCheckpoint(ops: ReportedOp[], inFlight: () => boolean): Promise<CheckpointOutcome> {
    if (this.finished || this.stoppedAtCheckpoint || !inFlight()) return "stale";
    if (!ops.every((op) => op.op === OpCode.StepRun)) return "refused";
    for (const op of ops) this.memoize(op.id, { data: op.data ?? null });
    // The serve handler answered (a checkpoint is an answer): infrastructure faults start counting afresh.
    this.run.infraFailures = 0;
    const written = await this.persist({ kind: "progress" });
    // The write may have waited out a database outage: if the call timed out meanwhile (the run is released and
    // may run elsewhere), the step is stored but this execution must not go on.
    if (!written || this.finished || !inFlight()) return "stale";
    // A graceful stop finishes the step in flight, not the rest of the function: "stale" makes the SDK stop here.
    if (this.ctx.stopping()) {
      this.stoppedAtCheckpoint = true;
      return "stale";
    }
    return "stored";
  }

  private isMemoized(stepId: string): boolean {
    return Object.hasOwn(this.run.steps, stepId);
  }

  private memoize(stepId: string, result: StepResult): void {
    if (this.isMemoized(stepId)) return;
    this.run.steps[stepId] = result;
    this.run.stack.push(stepId);
    this.writer.stepCompleted(stepId, result);
    this.run.pending = this.run.pending.filter((p) => p.id !== stepId);
    // Attempts count per step: the next discovery starts afresh.
    this.run.attempt = 0;
  }

  private addPending(step: PendingStep): void {
    if (this.run.pending.some((p) => p.id === step.id)) return;
    this.run.pending.push(step);
  }

  private async infraFault(outcome: Extract<CallOutcome, { kind: "infra" }>): Promise<void> {
    const faults = this.countInfraFault(outcome);
    if (faults >= this.ctx.maxInfraFailures) {
      await this.fail(this.infraGiveUp(outcome, faults));
      return;
    }
    await this.release(Date.now() + this.ctx.backoff(faults - 1));
  }

  private countInfraFault(outcome: Extract<CallOutcome, { kind: "infra" }>): number {
    const faults = ++this.run.infraFailures;
    // Not the function's fault (bad signature, unknown function, handler crash): no attempt is spent.
    logger.error("the serve handler refused a call; retrying without spending an attempt", {
      runId: this.run.id,
      functionId: this.fn.id,
      status: outcome.status,
      reason: outcome.message,
      faults,
      maxFaults: this.ctx.maxInfraFailures,
    });
    return faults;
  }

  /** Retrying forever would hide a broken deployment: after the cap the run fails like any other. */
  private infraGiveUp(outcome: Extract<CallOutcome, { kind: "infra" }>, faults: number): SerializedError {
    return engineError(
      "InfrastructureError",
      `the serve handler failed ${faults} calls in a row (last: ${outcome.status === 0 ? "no answer" : `HTTP ${outcome.status}`}: ${outcome.message})`,
    );
  }

  private failure(error: SerializedError): RunWrite {
    const event = {
      id: `failure:${this.run.id}`,
      name: FUNCTION_FAILED_EVENT,
      data: { function_id: this.fn.id, run_id: this.run.id, error, event: this.run.event },
      ts: Date.now(),
    };
    return { kind: "fail", error, followUps: this.ctx.registry.runsForEvent(event) };
  }

  private async fail(error: SerializedError): Promise<void> {
    await this.finish(this.failure(error));
  }

  async release(runAtMs: number): Promise<void> {
    this.finished = true;
    if (await this.persist({ kind: "release", runAt: new Date(runAtMs) })) this.ctx.wakeAt(runAtMs);
  }

  private async save(): Promise<void> {
    await this.persist({ kind: "progress" });
  }

  private async finish(write: RunWrite): Promise<void> {
    this.finished = true;
    const written = await this.persist(write);
    if (written && write.kind === "fail") {
      logger.warn("job run failed", { runId: this.run.id, functionId: this.fn.id, error: write.error.message });
      if (write.followUps.length > 0) this.ctx.wake();
    }
  }

  /** A lost lease, a cancelled run or an unreachable database ends the drive. */
  private async persist(write: RunWrite): Promise<boolean> {
    const written = await this.writer.write(write);
    if (!written) this.finished = true;
    return written;
  }
}

function pendingFields(op: ReportedOp): Pick<PendingStep, "id" | "name" | "displayName"> {
  return { id: op.id, ...(op.name ? { name: op.name } : {}), ...(op.displayName ? { displayName: op.displayName } : {}) };
}
