/** The read side for tests, tools and the dashboard: runs with their steps, as plain objects. */
import type { Prisma, PrismaClient } from "../../db";
import type { EngineEvent, SerializedError, StepResult } from "./protocol";
import { leaseHolder } from "./run-store";
import type { PendingStep, RunStatus, RunView } from "./run-types";

export async function findRun(db: PrismaClient, runId: string): Promise<RunView | null> {
  const run = await db.jobRun.findUnique({ where: { id: runId }, include: { steps: true } });
  return run ? toView(run) : null;
}

export async function findRuns(db: PrismaClient, filter: { eventId?: string; functionId?: string; status?: RunStatus } = {}): Promise<RunView[]> {
  const runs = await db.jobRun.findMany({
    where: {
      ...(filter.functionId ? { functionId: filter.functionId } : {}),
      ...(filter.status ? { status: filter.status } : {}),
      ...(filter.eventId ? { event: { path: ["id"], equals: filter.eventId } } : {}),
    },
    include: { steps: true },
    orderBy: { createdAt: "asc" },
  });
  return runs.map(toView);
}

type RunWithSteps = Prisma.JobRunGetPayload<{ include: { steps: true } }>;

function toView(run: RunWithSteps): RunView {
  const steps: Record<string, StepResult> = {};
  for (const step of run.steps) steps[step.stepId] = step.result as StepResult;
  return {
    id: run.id,
    functionId: run.functionId,
    eventName: run.eventName,
    event: run.event as EngineEvent,
    status: run.status,
    attempt: run.attempt,
    infraFailures: run.infraFailures,
    stack: run.stack,
    pending: Array.isArray(run.pendingSteps) ? (run.pendingSteps as unknown as PendingStep[]) : [],
    steps,
    output: run.output,
    error: run.error as SerializedError | null,
    runAt: run.runAt,
    createdAt: run.createdAt,
    finishedAt: run.finishedAt,
    leaseOwner: run.leaseOwner === null ? null : leaseHolder(run.leaseOwner),
  };
}
