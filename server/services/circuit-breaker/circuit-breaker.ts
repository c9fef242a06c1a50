/**
 * A circuit breaker per tenant × provider connection, kept in the connection row so every app instance
 * shares it. After CIRCUIT_FAILURE_THRESHOLD consecutive transient failures the connection is skipped for a
 * cool-down; then exactly one send probes it (half-open): success closes the circuit, failure re-opens it
 * with a cool-down that doubles per failed probe (capped). Each transition is one conditional UPDATE.
 */
import { getDb, Prisma, type ProviderConnection } from "../../db";
import { env } from "../../env";

const MAX_COOLDOWN_MS = 10 * 60_000;
/** A probe that never reported back (its worker died) stops blocking others after this long. */
const PROBE_TIMEOUT_MS = 60_000;
/** A healthy connection's last_success_at is refreshed at most this often: no write per email. */
const SUCCESS_TOUCH_MS = 60_000;

export type CircuitDecision = { go: true; probe: boolean } | { go: false; retryAt: Date | null; state: "open" | "half_open" };

type CircuitFields = Pick<ProviderConnection, "id" | "tenantId" | "circuitState" | "circuitRetryAt" | "circuitProbeStartedAt">;

/** Decides from a row already loaded; a half-open probe is claimed atomically so only one send probes. */
export async function admitThroughCircuit(conn: CircuitFields, now = new Date()): Promise<CircuitDecision> {
  if (conn.circuitState === "closed") return { go: true, probe: false };
  const dueForProbe =
    (conn.circuitState === "open" && (!conn.circuitRetryAt || conn.circuitRetryAt <= now)) ||
    (conn.circuitState === "half_open" && (!conn.circuitProbeStartedAt || conn.circuitProbeStartedAt.getTime() < now.getTime() - PROBE_TIMEOUT_MS));
  if (!dueForProbe) return { go: false, retryAt: conn.circuitRetryAt, state: conn.circuitState };
  const db = await getDb();
  const claimed = await db.$executeRaw(Prisma.sql`
    UPDATE "ProviderConnection" SET "circuitState" = 'half_open', "circuitProbeStartedAt" = ${now}
    WHERE "id" = ${conn.id}::uuid AND "tenantId" = ${conn.tenantId}::uuid AND (
      ("circuitState" = 'open' AND ("circuitRetryAt" IS NULL OR "circuitRetryAt" <= ${now}))
      OR ("circuitState" = 'half_open' AND ("circuitProbeStartedAt" IS NULL OR "circuitProbeStartedAt" < ${new Date(now.getTime() - PROBE_TIMEOUT_MS)}))
    )`);
  return claimed === 1 ? { go: true, probe: true } : { go: false, retryAt: conn.circuitRetryAt, state: "half_open" };
}

type SuccessFields = Pick<ProviderConnection, "id" | "tenantId" | "circuitState" | "consecutiveFailures" | "lastSuccessAt">;

/**
 * Closes the circuit after a success. `conn` is the row as loaded for the attempt: when it already shows a
 * closed circuit with a recent success there is nothing to write, so a healthy connection costs no write
 * per email; the UPDATE's own condition covers a row that changed meanwhile.
 */
export async function recordCircuitSuccess(conn: SuccessFields, now = new Date()): Promise<void> {
  const recentSuccess = conn.lastSuccessAt !== null && now.getTime() - conn.lastSuccessAt.getTime() < SUCCESS_TOUCH_MS;
  if (conn.circuitState === "closed" && conn.consecutiveFailures === 0 && recentSuccess) return;
  const db = await getDb();
  await db.$executeRaw(Prisma.sql`
    UPDATE "ProviderConnection" SET "circuitState" = 'closed', "consecutiveFailures" = 0, "circuitOpenedAt" = NULL,
      "circuitRetryAt" = NULL, "circuitProbeStartedAt" = NULL, "lastSuccessAt" = ${now}
    WHERE "id" = ${conn.id}::uuid AND "tenantId" = ${conn.tenantId}::uuid AND (
      "circuitState" <> 'closed' OR "consecutiveFailures" > 0 OR "lastSuccessAt" IS NULL OR "lastSuccessAt" < ${new Date(now.getTime() - SUCCESS_TOUCH_MS)}
    )`);
}

/** Counts a transient failure; opens (or re-opens) the circuit at the threshold or after a failed probe. */
export async function recordCircuitFailure(tenantId: string, connectionId: string, reason: string, now = new Date()): Promise<void> {
  const db = await getDb();
  const threshold = env.CIRCUIT_FAILURE_THRESHOLD;
  const base = env.CIRCUIT_COOLDOWN_MS;
  await db.$executeRaw(Prisma.sql`
    UPDATE "ProviderConnection" SET
      "consecutiveFailures" = "consecutiveFailures" + 1,
      "lastFailureAt" = ${now},
      "lastFailureReason" = ${reason.slice(0, 500)},
      "circuitProbeStartedAt" = NULL,
      "circuitState" = CASE WHEN "circuitState" = 'half_open' OR "consecutiveFailures" + 1 >= ${threshold} THEN 'open'::"CircuitState" ELSE "circuitState" END,
      "circuitOpenedAt" = CASE WHEN "circuitState" = 'closed' AND "consecutiveFailures" + 1 >= ${threshold} THEN ${now} ELSE "circuitOpenedAt" END,
      "circuitRetryAt" = CASE WHEN "circuitState" = 'half_open' OR "consecutiveFailures" + 1 >= ${threshold}
        THEN ${now}::timestamp + make_interval(secs => LEAST(${MAX_COOLDOWN_MS}, ${base} * power(2, LEAST(10, GREATEST(0, "consecutiveFailures" + 1 - ${threshold}))))::float8 / 1000)
        ELSE "circuitRetryAt" END
    WHERE "id" = ${connectionId}::uuid AND "tenantId" = ${tenantId}::uuid`);
}
