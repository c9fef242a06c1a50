/**
 * The local engine's answer to the SDK's async checkpoint API (`POST /v1/checkpoint/{runId}/async`), in-process.
 *
 * A discovery call carries `ctx.fn_id` and a `ctx.qi_id` fresh for that call. The SDK then runs a step,
 * posts its result here, and — once the answer says it is stored — goes on with the function in the same
 * call, instead of answering 206 and waiting to be called again. The common send (one step, then return)
 * completes in ONE call of the serve handler instead of two, and every step is still written (fenced by the
 * run's lease) before the function moves past it: a crash after a checkpoint resumes from it, exactly as
 * after a 206.
 *
 * The receiver of a call lives only while that call is in flight, in the process that made it: an unknown
 * or finished `qi_id` is answered 409, which the SDK treats as a stale dispatch and stops the function (its
 * answer is then ignored by a driver that no longer owns the run).
 */
import { isOp, type ReportedOp } from "./protocol";

/** `stored`: go on; `stale`: the lease is lost or the write given up, stop; `refused`: an op the engine does not take as a checkpoint. */
export type CheckpointOutcome = "stored" | "stale" | "refused";

export type CheckpointReceiver = (steps: ReportedOp[]) => Promise<CheckpointOutcome>;

const receivers = new Map<string, CheckpointReceiver>();

/** Registers the receiver of one call's checkpoints under its `qi_id`; returns the function that closes it. */
export function openCheckpoints(queueItemId: string, receiver: CheckpointReceiver): () => void {
  receivers.set(queueItemId, receiver);
  return () => {
    receivers.delete(queueItemId);
  };
}

const CHECKPOINT_PATH = /^\/v1\/checkpoint\/[^/]+\/async$/;

export function isCheckpointPath(pathname: string): boolean {
  return CHECKPOINT_PATH.test(pathname);
}

/** The HTTP answer to one checkpoint request body, as Inngest's API would give it. */
export async function answerCheckpoint(body: unknown): Promise<Response> {
  const record = body !== null && typeof body === "object" ? (body as Record<string, unknown>) : {};
  const receiver = typeof record.qi_id === "string" ? receivers.get(record.qi_id) : undefined;
  if (!receiver) return Response.json({ error: "no call in flight under this queue item id" }, { status: 409 });
  const steps = record.steps;
  if (!Array.isArray(steps) || !steps.every(isOp)) return Response.json({ error: "steps must be a list of ops" }, { status: 400 });
  const outcome = await receiver(steps);
  if (outcome === "stored") return Response.json({});
  if (outcome === "stale") return Response.json({ error: "the run's lease is lost" }, { status: 409 });
  // The SDK retries, then falls back to answering the steps in its 206, which the engine handles as usual.
  return Response.json({ error: "only completed steps (StepRun) are taken as checkpoints" }, { status: 400 });
}
