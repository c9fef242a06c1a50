/** The database's clock in engine statements: leases, due checks and delays all count from it. */
import { Prisma } from "../../db";

/**
 * The database's time for this statement, as the naive UTC timestamps Prisma stores. STABLE (unlike
 * clock_timestamp()), so it can bound an index scan; one value for the whole statement.
 */
export const DB_NOW = Prisma.raw(`(statement_timestamp() AT TIME ZONE 'UTC')`);

/** A delay measured on this process's clock, as an interval to add to `DB_NOW`. */
export function milliseconds(ms: number): Prisma.Sql {
  return Prisma.sql`(${Math.max(0, Math.round(ms))}::int * interval '1 millisecond')`;
}
