import { metricsQuery, usageQuery } from "../../services/analytics/schemas";
import type { OperationEntry } from "../operation";
import { metricsResponse, usageResponse } from "../responses/analytics";

export const analyticsOperations: OperationEntry[] = [
  {
    method: "get",
    path: "/analytics/metrics",
    operationId: "getMetrics",
    tag: "Analytics",
    summary: "Delivery metrics",
    description: "Totals, rates and daily counts over the last `period` UTC days (7d, 30d, 90d), today included. `test=true` counts test-mode emails (a test key always does).",
    query: metricsQuery,
    success: { status: 200, description: "The metrics.", schema: metricsResponse },
  },
  {
    method: "get",
    path: "/analytics/usage",
    operationId: "getUsage",
    tag: "Analytics",
    summary: "Daily usage by provider",
    description: "Per UTC day and provider: sent, failed, delivered, bounced, from `from` to `to` (YYYY-MM-DD, both included; `to` defaults to today, `from` to 29 days before; at most 366 days).",
    query: usageQuery,
    success: { status: 200, description: "The usage.", schema: usageResponse },
  },
];
