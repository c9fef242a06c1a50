/**
 * Every ten minutes: delete the local engine's finished runs (and their steps) older than JOB_RETENTION
 * (default 7 days), in bounded batches; runs not finished yet are never touched (engine/prune-runs.ts says
 * why dropping a finished run's idempotency record is safe). Under Inngest Cloud the engine's tables stay
 * empty, and this finds nothing. The same tick drops finished webhook deliveries past WEBHOOK_LOG_RETENTION
 * and expired provider-webhook replay tokens.
 */
import { env } from "../../env";
import { parseDuration } from "../../lib/duration";
import { unsafePruneEventLogs } from "../../services/events/prune-event-logs";
import { pruneFinishedRuns } from "../engine/prune-runs";
import { inngest } from "../client";

/** Steps per run at most; each deletes up to 10 × 1,000 runs. A larger backlog continues at the next tick. */
const MAX_ROUNDS = 10;

export const pruneJobRuns = inngest.createFunction(
  { id: "engine-prune-runs", retries: 1, concurrency: { limit: 1 }, triggers: [{ cron: "*/10 * * * *" }] },
  async ({ step }) => {
    const olderThanMs = parseDuration(env.JOB_RETENTION);
    let deleted = 0;
    for (let round = 0; round < MAX_ROUNDS; round++) {
      const result = await step.run(`delete-${round}`, () => pruneFinishedRuns({ olderThanMs }));
      deleted += result.deleted;
      if (!result.more) break;
    }
    const logs = await step.run("delete-event-logs", () => unsafePruneEventLogs({ olderThanMs: parseDuration(env.WEBHOOK_LOG_RETENTION) }));
    return { deleted, webhook_deliveries: logs.deliveries, seen_tokens: logs.tokens };
  },
);
