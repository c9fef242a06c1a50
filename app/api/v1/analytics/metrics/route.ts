import { apiRoute, reply } from "@/server/http/api-route";
import { methods } from "@/server/http/methods";
import { presentMetrics } from "@/server/http/presenters/analytics";
import { getMetrics } from "@/server/services/analytics/get-metrics";
import { metricsQuery } from "@/server/services/analytics/schemas";

export const { GET, HEAD, OPTIONS, POST, PUT, PATCH, DELETE } = methods({
  // GET /api/v1/analytics/metrics — delivery totals, rates and daily counts over period=7d|30d|90d (UTC days)
  GET: apiRoute({ query: metricsQuery }, async ({ tenantId, principal, query }) => reply(presentMetrics(await getMetrics(tenantId, principal, query)))),
});
