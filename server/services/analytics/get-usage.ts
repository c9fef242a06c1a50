import { getDb, Prisma } from "../../db";
import { AppError } from "../../lib/errors";
import type { Principal } from "../auth/authenticate-request";
import { addDays, countsOf, daySpan, readsTestData, summedCounts, utcDay } from "./rollup";
import { DEFAULT_USAGE_DAYS, MAX_USAGE_DAYS, type UsageQuery } from "./schemas";

const USAGE_COLUMNS = ["sent", "failed", "delivered", "bounced"] as const;

export interface UsageDay {
  date: string;
  /** null: emails that never reached a provider (suppressed, or failed with no connection to try). */
  provider: string | null;
  sent: number;
  failed: number;
  delivered: number;
  bounced: number;
}

export interface Usage {
  from: string;
  to: string;
  test: boolean;
  days: UsageDay[];
}

/**
 * Per UTC day and provider, from `from` to `to` (both included; `to` defaults to today, `from` to 29 days before `to`).
 * Providers: the tenant's connected ones and any other with counts in the range, every day of the range
 * for each (zeros where nothing happened). One statement over the rollup.
 */
export async function getUsage(tenantId: string, principal: Principal, query: UsageQuery, now = new Date()): Promise<Usage> {
  const to = query.to ?? utcDay(now);
  const from = query.from ?? addDays(to, 1 - DEFAULT_USAGE_DAYS);
  if (from > to) throw AppError.validation("from must be on or before to");
  if (daySpan(from, to) > MAX_USAGE_DAYS) throw AppError.validation(`the range from … to must be at most ${MAX_USAGE_DAYS} days`);
  const test = readsTestData(principal, query.test);
  const db = await getDb();
  const rows = await db.$queryRaw<Record<string, unknown>[]>(Prisma.sql`
    WITH p AS (
      SELECT "provider"::text AS "provider" FROM "ProviderConnection" WHERE "tenantId" = ${tenantId}::uuid
      UNION
      SELECT "provider" FROM "EmailDailyStat" WHERE "tenantId" = ${tenantId}::uuid AND "test" = ${test} AND "day" BETWEEN ${from}::date AND ${to}::date
    )
    SELECT to_char(d."day", 'YYYY-MM-DD') AS "date", p."provider", ${summedCounts(USAGE_COLUMNS)}
    FROM generate_series(${from}::date, ${to}::date, interval '1 day') AS d("day")
    CROSS JOIN p
    LEFT JOIN "EmailDailyStat" s ON s."tenantId" = ${tenantId}::uuid AND s."test" = ${test} AND s."day" = d."day"::date AND s."provider" = p."provider"
    GROUP BY d."day", p."provider" ORDER BY d."day", p."provider" = '', p."provider"`);
  const days = rows.map((row) => ({ date: String(row.date), provider: row.provider === "" ? null : String(row.provider), ...countsOf(row, USAGE_COLUMNS) }));
  return { from, to, test, days };
}
