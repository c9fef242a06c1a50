import { getDb, Prisma } from "../../db";
import type { Principal } from "../auth/authenticate-request";
import { ROLLUP_EVENT_TYPES } from "../events/event-types";
import { addDays, countsOf, readsTestData, summedCounts, utcDay, type Counts } from "./rollup";
import type { MetricsQuery } from "./schemas";

const PERIOD_DAYS = { "7d": 7, "30d": 30, "90d": 90 } as const;

export interface Metrics {
  period: MetricsQuery["period"];
  test: boolean;
  from: string;
  to: string;
  totals: Counts;
  rates: Rates;
  daily: (Counts & { date: string })[];
}

export interface Rates {
  delivery_rate: number;
  bounce_rate: number;
  complaint_rate: number;
  open_rate: number;
  click_rate: number;
}

/**
 * Delivery metrics over the last N UTC days, today included: totals, rates and every day (zeros where
 * nothing happened). Counts are of emails that had the event for the first time that day (an email opened
 * twice is one open). One statement: the day series left-joined to the tenant's rollup rows.
 */
export async function getMetrics(tenantId: string, principal: Principal, query: MetricsQuery, now = new Date()): Promise<Metrics> {
  const to = utcDay(now);
  const from = addDays(to, 1 - PERIOD_DAYS[query.period]);
  const test = readsTestData(principal, query.test);
  const db = await getDb();
  const rows = await db.$queryRaw<Record<string, unknown>[]>(Prisma.sql`
    SELECT to_char(d."day", 'YYYY-MM-DD') AS "date", ${summedCounts()}
    FROM generate_series(${from}::date, ${to}::date, interval '1 day') AS d("day")
    LEFT JOIN "EmailDailyStat" s ON s."tenantId" = ${tenantId}::uuid AND s."test" = ${test} AND s."day" = d."day"::date
    GROUP BY d."day" ORDER BY d."day"`);
  const daily = rows.map((row) => ({ date: String(row.date), ...countsOf(row, ROLLUP_EVENT_TYPES) }));
  const totals = countsOf({}, ROLLUP_EVENT_TYPES);
  for (const day of daily) for (const c of ROLLUP_EVENT_TYPES) totals[c] += day[c];
  return { period: query.period, test, from, to, totals, rates: ratesOf(totals), daily };
}

/**
 * Delivery and bounce rates are shares of the emails sent; complaint, open and click rates are shares of
 * the emails delivered. 0 when nothing was sent (or delivered); rounded to 4 decimal places.
 */
export function ratesOf(t: Counts): Rates {
  const rate = (n: number, of: number) => (of > 0 ? Math.round((n / of) * 10_000) / 10_000 : 0);
  return {
    delivery_rate: rate(t.delivered, t.sent),
    bounce_rate: rate(t.bounced, t.sent),
    complaint_rate: rate(t.complained, t.delivered),
    open_rate: rate(t.opened, t.delivered),
    click_rate: rate(t.clicked, t.delivered),
  };
}
