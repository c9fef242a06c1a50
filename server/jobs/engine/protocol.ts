/**
 * The wire shapes of the Inngest serve protocol as the local engine speaks it (docs INNGEST.md, the SDK
 * spec), and the classification of an answer into what the engine must do next.
 */

/** An event as stored and handed to functions. */
export interface EngineEvent {
  id: string;
  name: string;
  data: Record<string, unknown>;
  ts: number;
  [extra: string]: unknown;
}

/** An error as the SDK serializes it: `{ name, message, stack, __serialized }`. */
export interface SerializedError {
  name: string;
  message: string;
  stack?: string;
  [extra: string]: unknown;
}

/** A memoized step exactly as handed back to the SDK in `steps`. */
export type StepResult = { data: unknown } | { error: SerializedError };

/** An op the SDK reports in a 206 answer. */
export interface ReportedOp {
  id: string;
  op: string;
  name?: string;
  displayName?: string;
  opts?: Record<string, unknown>;
  data?: unknown;
  error?: unknown;
}

export function isOp(value: unknown): value is ReportedOp {
  if (value === null || typeof value !== "object") return false;
  const op = value as Record<string, unknown>;
  return typeof op.id === "string" && typeof op.op === "string";
}

export const OpCode = {
  StepRun: "StepRun",
  StepError: "StepError",
  StepFailed: "StepFailed",
  StepPlanned: "StepPlanned",
  Sleep: "Sleep",
  RunComplete: "RunComplete",
} as const;

/** `stepId` of a discovery call: "run the function from the top and report what is next". */
export const DISCOVERY_STEP = "step";

export const FUNCTION_FAILED_EVENT = "inngest/function.failed";
export const SCHEDULED_TIMER_EVENT = "inngest/scheduled.timer";

export interface CallBody {
  event: EngineEvent;
  events: EngineEvent[];
  steps: Record<string, StepResult>;
  ctx: {
    run_id: string;
    attempt: number;
    max_attempts: number;
    disable_immediate_execution: boolean;
    // Always false: with true the SDK fetches state from a remote API.
    use_api: false;
    /**
     * Discovery calls of a client whose checkpoints the engine answers in-process (checkpoints.ts): `fn_id`
     * switches on the SDK's async checkpointing, `qi_id` names the call its checkpoints belong to.
     */
    fn_id?: string;
    qi_id?: string;
    stack: { stack: string[]; current: number };
  };
  version: 2;
}

export type CallOutcome =
  /** 200: the function returned. */
  | { kind: "complete"; output: unknown }
  /** 206: ops to apply (`retryAfterMs` from a StepError's Retry-After). */
  | { kind: "ops"; ops: ReportedOp[]; retryAfterMs?: number }
  /** 5xx with `x-inngest-no-retry: false` (the function body threw), or the call timed out: retry it. */
  | { kind: "retry"; error: SerializedError; retryAfterMs?: number }
  /** `x-inngest-no-retry: true` (NonRetriableError, exhausted attempts): the run failed for good. */
  | { kind: "failed"; error: SerializedError }
  /** Anything without `x-inngest-no-retry` (bad signature, unknown function, a crash in the handler): not user code. */
  | { kind: "infra"; status: number; message: string };

export function toSerializedError(value: unknown, fallbackMessage: string): SerializedError {
  if (value !== null && typeof value === "object") {
    const record = value as Record<string, unknown>;
    const message = typeof record.message === "string" ? record.message : typeof record.error === "string" ? record.error : fallbackMessage;
    return { ...record, name: typeof record.name === "string" ? record.name : "Error", message };
  }
  return { name: "Error", message: typeof value === "string" && value !== "" ? value : fallbackMessage };
}

export function engineError(name: string, message: string): SerializedError {
  return { name, message, stack: "" };
}
