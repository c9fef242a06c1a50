import { apiRoute, reply } from "@/server/http/api-route";
import { methods } from "@/server/http/methods";
import { presentRoutingRule } from "@/server/http/presenters/routing-rules";
import { paginationHeaders, paginationQuery } from "@/server/lib/pagination";
import { createRoutingRule, listRoutingRules } from "@/server/services/routing/routing-rules";
import { createRoutingRuleInput } from "@/server/services/routing/schemas";

export const { GET, HEAD, OPTIONS, POST, PUT, PATCH, DELETE } = methods({
  // POST /api/v1/routing_rules — create a rule (priority, weighted, round_robin, failover_only)
  POST: apiRoute({ body: createRoutingRuleInput }, async ({ tenantId, body }) => reply(presentRoutingRule(await createRoutingRule(tenantId, body)), { status: 201 })),

  // GET /api/v1/routing_rules — list rules in evaluation order
  GET: apiRoute({ query: paginationQuery }, async ({ tenantId, query }) => {
    const { items, total } = await listRoutingRules(tenantId, query);
    return reply(items.map(presentRoutingRule), { headers: paginationHeaders(query, total) });
  }),
});
