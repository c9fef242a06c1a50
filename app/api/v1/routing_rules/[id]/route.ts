import { apiRoute, reply } from "@/server/http/api-route";
import { presentRoutingRule } from "@/server/http/presenters/routing-rules";
import { deleteRoutingRule, getRoutingRuleOrThrow, updateRoutingRule } from "@/server/services/routing/routing-rules";
import { updateRoutingRuleInput } from "@/server/services/routing/schemas";

// GET /api/v1/routing_rules/:id — one rule
export const GET = apiRoute({}, async ({ tenantId, params }) => reply(presentRoutingRule(await getRoutingRuleOrThrow(tenantId, params.id!))));

// PATCH /api/v1/routing_rules/:id — update a rule (its provider list is replaced when given)
export const PATCH = apiRoute({ body: updateRoutingRuleInput }, async ({ tenantId, params, body }) => reply(presentRoutingRule(await updateRoutingRule(tenantId, params.id!, body))));

// DELETE /api/v1/routing_rules/:id — delete a rule
export const DELETE = apiRoute({}, async ({ tenantId, params }) => {
  await deleteRoutingRule(tenantId, params.id!);
  return reply(undefined, { status: 204 });
});
