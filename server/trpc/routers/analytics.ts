import { presentMetrics, presentUsage } from "../../http/presenters/analytics";
import { getMetrics } from "../../services/analytics/get-metrics";
import { getUsage } from "../../services/analytics/get-usage";
import { metricsQuery, usageQuery } from "../../services/analytics/schemas";
import { createTRPCRouter, tenantProcedure } from "../init";

export const analyticsRouter = createTRPCRouter({
  // Totals, rates and daily counts over period=7d|30d|90d (UTC days).
  metrics: tenantProcedure
    .input(metricsQuery.prefault({}))
    .query(async ({ ctx, input }) => presentMetrics(await getMetrics(ctx.tenantId, ctx.principal, input))),

  // Per UTC day and provider (from, to: YYYY-MM-DD).
  usage: tenantProcedure.input(usageQuery.prefault({})).query(async ({ ctx, input }) => presentUsage(await getUsage(ctx.tenantId, ctx.principal, input))),
});
