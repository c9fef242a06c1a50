/**
 * The fence around each provider attempt. A claim gives the attempt a fresh token and a lease on the
 * database clock; the attempt's final write only lands while the email still carries that token. So a
 * second holder of the same run (its job lease lapsed while the first was still inside the provider call)
 * cannot call the provider while the first attempt may be in flight: it waits for the lease, and if the
 * first holder never came back, it takes over and the send is flagged `possible_duplicate`.
 */
import { randomUUID } from "node:crypto";
import { DB_NOW, getDb, Prisma, type Email } from "../../db";
import { env } from "../../env";


/**
 * How long an attempt may be inside the provider call: the provider timeout plus room for the outbound
 * check, the final write and its retries. A holder that has not written by then is presumed dead.
 */
export function attemptLeaseMs(): number {
  // Never shorter than the call itself plus a margin: a live holder must not be taken over mid-call.
  return Math.max(env.ATTEMPT_LEASE_MS ?? env.PROVIDER_TIMEOUT_MS + 10_000, env.PROVIDER_TIMEOUT_MS + 3_000);
}

export type AttemptClaim =
  | { kind: "claimed"; email: Email; token: string; tookOver: boolean }
  | { kind: "final"; status: string }
  | { kind: "busy"; retryAfterMs: number };

/** Thrown by an attempt that found another attempt of the same email possibly in flight. */
export class AttemptInFlightError extends Error {
  constructor(readonly retryAfterMs: number) {
    super(`Another attempt of this email may still be inside the provider call; retrying in ${retryAfterMs} ms`);
    this.name = "AttemptInFlightError";
  }
}

export async function claimAttempt(tenantId: string, emailId: string): Promise<AttemptClaim> {
  const db = await getDb();
  const token = randomUUID();
  const leaseSeconds = attemptLeaseMs() / 1000;
  // The subquery locks the row and keeps the token it had, so the claim knows whether it took over.
  const rows = await db.$queryRaw<(Email & { tookOver: boolean })[]>(Prisma.sql`
    UPDATE "Email" e SET "attempts" = e."attempts" + 1, "attemptToken" = ${token}::uuid,
      "attemptLeaseUntil" = ${DB_NOW} + make_interval(secs => ${leaseSeconds}), "nextAttemptAt" = NULL,
      "possibleDuplicate" = e."possibleDuplicate" OR o."attemptToken" IS NOT NULL, "updatedAt" = ${new Date()}
    FROM (SELECT "id", "attemptToken" FROM "Email" WHERE "id" = ${emailId}::uuid AND "tenantId" = ${tenantId}::uuid FOR UPDATE) o
    WHERE e."id" = o."id" AND e."status" = 'queued' AND (e."attemptToken" IS NULL OR e."attemptLeaseUntil" < ${DB_NOW})
    RETURNING e.*, (o."attemptToken" IS NOT NULL) AS "tookOver"`);
  const row = rows[0];
  if (row) {
    const { tookOver, ...email } = row;
    return { kind: "claimed", email, token, tookOver };
  }
  // Rare path: say why nothing was claimed.
  const [current] = await db.$queryRaw<{ status: string; leftMs: number | null }[]>(Prisma.sql`
    SELECT "status"::text AS "status", (EXTRACT(EPOCH FROM ("attemptLeaseUntil" - ${DB_NOW})) * 1000)::float8 AS "leftMs"
    FROM "Email" WHERE "id" = ${emailId}::uuid AND "tenantId" = ${tenantId}::uuid`);
  if (!current) return { kind: "final", status: "missing" };
  if (current.status !== "queued") return { kind: "final", status: current.status };
  return { kind: "busy", retryAfterMs: Math.max(100, Math.ceil(current.leftMs ?? 0) + 50) };
}

/** The SQL condition of a fenced write: the email still carries this attempt's token. */
export function holdsAttempt(token: string): Prisma.Sql {
  return Prisma.sql`AND "attemptToken" = ${token}::uuid`;
}

/** SET entries that end the attempt in flight (its token and lease). */
export const RELEASE_ATTEMPT = Prisma.sql`"attemptToken" = NULL, "attemptLeaseUntil" = NULL`;
