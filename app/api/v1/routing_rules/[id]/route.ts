import { apiRoute, reply } from "@/server/http/api-route";
import { methods } from "@/server/http/methods";
import { presentRoutingRule } from "@/server/http/presenters/routing-rules";
import { deleteRoutingRule, getRoutingRuleOrThrow, updateRoutingRule } from "@/server/services/routing/routing-rules";
import { updateRoutingRuleInput } from "@/server/services/routing/schemas";

export const { GET, HEAD, OPTIONS, POST, PUT, PATCH, DELETE } = methods({
  // GET /api/v1/routing_rules/:id — one rule
  GET: apiRoute({}, async ({ tenantId, params }) => reply(presentRoutingRule(await getRoutingRuleOrThrow(tenantId, params.id!)))),

  // PATCH /api/v1/routing_rules/:id — update a rule (its provider list is replaced when given)
  PATCH: apiRoute({ body: updateRoutingRuleInput }, async ({ tenantId, params, body }) => reply(presentRoutingRule(await updateRoutingRule(tenantId, params.id!, body)))),

  // DELETE /api/v1/routing_rules/:id — delete a rule
  DELETE: apiRoute({}, async ({ tenantId, params }) => {
    await deleteRoutingRule(tenantId, params.id!);
    return reply(undefined, { status: 204 });
  }),
});
