/** SQL pieces every raw statement of the app shares: the database's clock, and what a refused statement says. */
import { Prisma } from "./generated/client";

/**
 * The database's time for this statement, as the naive UTC timestamps Prisma stores (whatever the
 * session's time zone). Leases, due checks and sweeps compare against it, never against a process clock,
 * so workers whose clocks disagree still agree on who holds what. STABLE (unlike clock_timestamp()), so it
 * can bound an index scan; one value for the whole statement.
 */
export const DB_NOW = Prisma.raw(`(statement_timestamp() AT TIME ZONE 'UTC')`);

/** A delay measured on this process's clock, as an interval to add to `DB_NOW`. */
export function milliseconds(ms: number): Prisma.Sql {
  return Prisma.sql`(${Math.max(0, Math.round(ms))}::int * interval '1 millisecond')`;
}

/**
 * The SQLSTATE of a statement the database refused, where the driver reported one (Prisma keeps it as the
 * driver adapter error's `originalCode`); undefined for errors that never reached the database (no
 * connection, a timeout, a closed socket).
 */
export function sqlState(error: unknown): string | undefined {
  const meta = (error as { meta?: { driverAdapterError?: { cause?: { originalCode?: unknown } } } } | null)?.meta;
  const code = meta?.driverAdapterError?.cause?.originalCode;
  return typeof code === "string" && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
}
