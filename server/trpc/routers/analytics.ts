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

  // The overview page: the metrics of a period and the usage over exactly its days (the metrics' from … to).
  overview: tenantProcedure.input(metricsQuery.prefault({})).query(async ({ ctx, input }) => {
    const metrics = await getMetrics(ctx.tenantId, ctx.principal, input);
    const usage = await getUsage(ctx.tenantId, ctx.principal, { from: metrics.from, to: metrics.to, test: input.test });
    return { metrics: presentMetrics(metrics), usage: presentUsage(usage) };
  }),
});
