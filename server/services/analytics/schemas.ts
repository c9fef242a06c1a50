import { z } from "zod";

export const METRIC_PERIODS = ["7d", "30d", "90d"] as const;
/** The longest usage range, in days (a leap year). */
export const MAX_USAGE_DAYS = 366;
export const DEFAULT_USAGE_DAYS = 30;

/** "true": test-mode emails; "false" (the default): live ones. A test key always reads test data. */
const test = z.enum(["true", "false"], { message: "must be true or false" }).optional();

const day = z.iso
  .date({ message: "must be a date such as 2026-03-22" })
  .refine((v) => Number(v.slice(0, 4)) >= 1970, { message: "must be a date from 1970 on" });

export const metricsQuery = z.object({
  period: z.enum(METRIC_PERIODS, { message: `must be one of: ${METRIC_PERIODS.join(", ")}` }).default("7d"),
  test,
});

export const usageQuery = z.object({ from: day.optional(), to: day.optional(), test });

export type MetricsQuery = z.infer<typeof metricsQuery>;
export type UsageQuery = z.infer<typeof usageQuery>;
