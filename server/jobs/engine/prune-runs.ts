/**
 * Retention: finished runs (completed, failed, cancelled) and their steps (ON DELETE CASCADE) are deleted
 * once they finished longer ago than the retention period, on the database clock. Runs that have not
 * finished (queued — which includes sleeping and backing off — and running) are never deleted, however old.
 *
 * Deleting a run also drops its idempotency record (the unique (functionId, idempotencyKey)): an event with
 * the same key would start a new run. That is safe for send-email, whose key is the email id: a new run's
 * first step reads the email and stops at once when it is already final (sent, failed, suppressed…), and
 * a run only finishes after it made the email final (or onFailure did). Keep the retention well above
 * how long any caller may re-send an event whose run must not repeat.
 */
import { DB_NOW, getDb, Prisma, type PrismaClient } from "../../db";

/** Runs per DELETE: small enough that one statement holds its locks briefly. */
const DEFAULT_BATCH = 1_000;

export interface PruneOptions {
  /** Finished longer ago than this (ms) is deleted. */
  olderThanMs: number;
  batchSize?: number;
  /** Statements per call at most, so one call stays bounded; the next call continues. */
  maxBatches?: number;
  db?: PrismaClient;
}

/** Returns how many runs were deleted (their steps go with them). */
export async function pruneFinishedRuns(options: PruneOptions): Promise<{ deleted: number; more: boolean }> {
  const db = options.db ?? (await getDb());
  const batch = options.batchSize ?? DEFAULT_BATCH;
  const maxBatches = options.maxBatches ?? 10;
  const cutoff = Prisma.sql`${DB_NOW} - (${Math.round(options.olderThanMs)}::bigint * interval '1 millisecond')`;
  let deleted = 0;
  for (let i = 0; i < maxBatches; i++) {
    // Walks the (status, finishedAt) index: one range per finished status, oldest first.
    const count = await db.$executeRaw`
      DELETE FROM "JobRun" r
      USING (
        SELECT id FROM "JobRun"
        WHERE status IN ('completed', 'failed', 'cancelled') AND "finishedAt" < ${cutoff}
        LIMIT ${batch}
        FOR UPDATE SKIP LOCKED
      ) doomed
      WHERE r.id = doomed.id AND r.status IN ('completed', 'failed', 'cancelled')`;
    deleted += count;
    if (count < batch) return { deleted, more: false };
  }
  return { deleted, more: true };
}
