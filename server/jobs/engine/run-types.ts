/** The shapes of runs as the engine holds, writes and shows them. */
import type { EngineEvent, SerializedError, StepResult } from "./protocol";
import type { NewRun } from "./registry";

export type RunStatus = "queued" | "running" | "completed" | "failed" | "cancelled";

/** A step the run waits on: a planned step to call by id, or a sleep until `notBefore`. */
export interface PendingStep {
  id: string;
  op: "StepPlanned" | "Sleep";
  name?: string;
  displayName?: string;
  /** Attempt of this step's next call (parallel branches retry independently). */
  attempt: number;
  /** Epoch ms before which it is not due (backoff, sleep). */
  notBefore?: number;
}

/** A run as the executor holds it while leased. */
export interface ClaimedRun {
  id: string;
  /**
   * The lease this claim holds (the row's `leaseOwner`: worker id plus a token fresh for every claim).
   * Writes and renewals match it exactly, so an execution whose lease lapsed and whose run was claimed
   * again — even by the same worker — can no longer write.
   */
  lease: string;
  functionId: string;
  event: EngineEvent;
  attempt: number;
  /** Consecutive calls that failed for infrastructure reasons (stored, so the cap holds across workers). */
  infraFailures: number;
  stack: string[];
  pending: PendingStep[];
  disableImmediateExecution: boolean;
  steps: Record<string, StepResult>;
}

/** The run's protocol state plus the steps completed since the last write. */
export interface RunProgress {
  attempt: number;
  infraFailures: number;
  stack: string[];
  pending: PendingStep[];
  disableImmediateExecution: boolean;
  newSteps: [stepId: string, result: StepResult][];
}

export type RunWrite =
  /** Keep the lease (extended) and continue calling. */
  | { kind: "progress" }
  /**
   * Hand the run back (status queued) to be claimed again at `runAt`, on this process's clock: the store
   * turns it into a delay from the database clock, which every due check compares with.
   */
  | { kind: "release"; runAt: Date }
  | { kind: "complete"; output: unknown }
  /** Failed for good; `followUps` (the onFailure run) are created in the same statement. */
  | { kind: "fail"; error: SerializedError; followUps: NewRun[] };

export interface RunView {
  id: string;
  functionId: string;
  eventName: string;
  event: EngineEvent;
  status: RunStatus;
  attempt: number;
  infraFailures: number;
  stack: string[];
  pending: PendingStep[];
  steps: Record<string, StepResult>;
  output: unknown;
  error: SerializedError | null;
  runAt: Date;
  createdAt: Date;
  finishedAt: Date | null;
  /** The worker holding the lease (without the claim's token). */
  leaseOwner: string | null;
}
