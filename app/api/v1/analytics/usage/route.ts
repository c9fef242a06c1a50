import { apiRoute, reply } from "@/server/http/api-route";
import { methods } from "@/server/http/methods";
import { presentUsage } from "@/server/http/presenters/analytics";
import { getUsage } from "@/server/services/analytics/get-usage";
import { usageQuery } from "@/server/services/analytics/schemas";

export const { GET, HEAD, OPTIONS, POST, PUT, PATCH, DELETE } = methods({
  // GET /api/v1/analytics/usage — per UTC day and provider: sent, failed, delivered, bounced (from, to: YYYY-MM-DD)
  GET: apiRoute({ query: usageQuery }, async ({ tenantId, principal, query }) => reply(presentUsage(await getUsage(tenantId, principal, query)))),
});
