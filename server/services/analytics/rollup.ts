/**
 * What both analytics reads share: the day axis (UTC dates), which mode's rows a caller reads, and the
 * rollup's count columns as SQL. Reads go to EmailDailyStat only (a few rows per tenant and day), never to
 * the Email table, so 90 days of a tenant with millions of emails is a scan of a few hundred index rows.
 */
import { Prisma } from "../../db";
import { isTestKey, type Principal } from "../auth/authenticate-request";
import { ROLLUP_EVENT_TYPES, type OutgoingEventType } from "../events/event-types";

export type Counts = Record<OutgoingEventType, number>;

const DAY_MS = 86_400_000;

/** The UTC date of `date`, as YYYY-MM-DD. */
export function utcDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

export function addDays(day: string, days: number): string {
  return utcDay(new Date(Date.parse(`${day}T00:00:00Z`) + days * DAY_MS));
}

/** Days from `from` to `to`, both included. */
export function daySpan(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS) + 1;
}

/** A test key reads test data only, whatever it asks; others read live data unless they ask `test=true`. */
export function readsTestData(principal: Principal, test: "true" | "false" | undefined): boolean {
  return isTestKey(principal) || test === "true";
}

/** `coalesce(sum(s."sent"), 0)::bigint AS "sent", …` for every count, over the alias `s`. */
export function summedCounts(columns: readonly OutgoingEventType[] = ROLLUP_EVENT_TYPES): Prisma.Sql {
  return Prisma.raw(columns.map((c) => `coalesce(sum(s."${c}"), 0)::bigint AS "${c}"`).join(", "));
}

/** A row's counts as numbers (PostgreSQL's bigint sums arrive as BigInt). */
export function countsOf<C extends OutgoingEventType>(row: Record<string, unknown>, columns: readonly C[]): Record<C, number> {
  return Object.fromEntries(columns.map((c) => [c, Number(row[c] ?? 0)])) as Record<C, number>;
}
