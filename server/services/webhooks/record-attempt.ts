import { getDb, Prisma } from "../../db";
import { uuidv7 } from "../../lib/ids";
import type { WebhookResponse } from "./post-webhook";

/** An endpoint failing without a single success for this long is disabled. */
export const FAILING_DISABLE_AFTER_MS = 3 * 24 * 60 * 60 * 1000;

/** succeeded (2xx), gone (410: disable the endpoint), failed (the last attempt), retry (another attempt follows). */
export type AttemptVerdict = "succeeded" | "gone" | "failed" | "retry";

interface AttemptRecord {
  tenantId: string;
  deliveryId: string;
  endpointId: string;
  attempt: number;
  response: WebhookResponse;
  verdict: AttemptVerdict;
  retryInMs: number | null;
}

/**
 * One statement: the attempt's log row (unique per delivery and attempt, so a replayed step never logs
 * twice), the delivery's state, and the endpoint's health — a success clears its failing streak; a
 * failure starts one or, once the streak is 3 days old, disables the endpoint; a 410 disables it at once.
 * Nothing is written for a delivery that is no longer pending (or gone), nor for an attempt another
 * holder of the run logged first. Returns why the endpoint was disabled, when this attempt disabled it.
 */
export async function recordAttempt(r: AttemptRecord): Promise<{ recorded: boolean; disabledReason: string | null }> {
  const db = await getDb();
  const now = new Date();
  const { statusCode, error, snippet, durationMs } = r.response;
  const status = r.verdict === "succeeded" ? "succeeded" : r.verdict === "retry" ? "pending" : "failed";
  const nextAttemptAt = r.verdict === "retry" && r.retryInMs !== null ? new Date(now.getTime() + r.retryInMs) : null;
  const completedAt = status === "pending" ? null : now;
  const failingLimit = new Date(now.getTime() - FAILING_DISABLE_AFTER_MS);
  const streak = Prisma.sql`coalesce(e."failingSince", ${now})`;
  const endpointSet =
    r.verdict === "succeeded"
      ? Prisma.sql`"lastSuccessAt" = ${now}, "failingSince" = NULL`
      : r.verdict === "gone"
        ? Prisma.sql`"lastFailureAt" = ${now}, "failingSince" = ${streak}, "active" = false, "disabledReason" = ${"The receiver answered 410 Gone"}`
        : Prisma.sql`"lastFailureAt" = ${now}, "failingSince" = ${streak},
            "active" = e."active" AND ${streak} > ${failingLimit},
            "disabledReason" = CASE WHEN e."active" AND ${streak} <= ${failingLimit}
              THEN 'Every delivery failed for 3 days (since ' || to_char(${streak}, 'YYYY-MM-DD"T"HH24:MI:SS"Z"') || ')'
              ELSE e."disabledReason" END`;
  const [row] = await db.$queryRaw<{ recorded: number; disabledReason: string | null }[]>(Prisma.sql`
    WITH att AS (
      INSERT INTO "WebhookDeliveryAttempt" ("id", "tenantId", "deliveryId", "attempt", "statusCode", "durationMs", "error", "responseSnippet", "createdAt")
      SELECT ${uuidv7(now.getTime())}::uuid, d."tenantId", d."id", ${r.attempt}::int, ${statusCode}::int, ${durationMs}::int, ${error}::text, ${snippet}::text, ${now}
      FROM "WebhookDelivery" d
      WHERE d."id" = ${r.deliveryId}::uuid AND d."tenantId" = ${r.tenantId}::uuid AND d."status" = 'pending'
      ON CONFLICT ("deliveryId", "attempt") DO NOTHING
      RETURNING "deliveryId"
    ), del AS (
      UPDATE "WebhookDelivery" d SET "attempts" = ${r.attempt}::int, "responseCode" = ${statusCode}::int, "lastError" = ${error}::text,
        "status" = ${status}::"WebhookDeliveryStatus", "nextAttemptAt" = ${nextAttemptAt}::timestamp, "completedAt" = ${completedAt}::timestamp, "updatedAt" = ${now}
      FROM att WHERE d."id" = att."deliveryId"
      RETURNING d."endpointId"
    ), ep AS (
      UPDATE "WebhookEndpoint" e SET ${endpointSet}
      FROM del WHERE e."id" = del."endpointId" AND e."id" = ${r.endpointId}::uuid AND e."tenantId" = ${r.tenantId}::uuid
      RETURNING e."active", e."disabledReason"
    ), before AS (
      -- The statement's snapshot: the endpoint as it was before this attempt's update.
      SELECT e."active" FROM "WebhookEndpoint" e WHERE e."id" = ${r.endpointId}::uuid AND e."tenantId" = ${r.tenantId}::uuid
    )
    SELECT (SELECT count(*)::int FROM att) AS "recorded",
      (SELECT ep."disabledReason" FROM ep, before WHERE before."active" AND NOT ep."active") AS "disabledReason"`);
  return { recorded: (row?.recorded ?? 0) > 0, disabledReason: row?.disabledReason ?? null };
}
