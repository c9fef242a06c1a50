import { paginationQuery } from "../../lib/pagination";
import { createRoutingRuleInput, updateRoutingRuleInput } from "../../services/routing/schemas";
import { pageOf, type OperationEntry } from "../operation";
import { routingRuleResponse } from "../responses/routing-rules";

const STRATEGIES =
  "Strategies: `priority` (connections in priority order), `weighted` (first pick in proportion to weight, then by priority), `round_robin` (the first pick rotates), `failover_only` (only the listed connections, in the listed order).";

export const routingRuleOperations: OperationEntry[] = [
  {
    method: "post",
    path: "/routing_rules",
    operationId: "createRoutingRule",
    tag: "Routing rules",
    summary: "Create a routing rule",
    description: `Rules are evaluated in \`position\` order; the first whose conditions match (sender domain, tags) decides the plan. With no rule matching, every enabled connection is tried by priority. ${STRATEGIES}`,
    body: {
      schema: createRoutingRuleInput,
      example: { name: "Marketing via SES", conditions: { tags: ["marketing"] }, strategy: "weighted", providers: [{ connection_id: "0195b9f0-5c4a-7f3e-9a1b-2c3d4e5f6a82", weight: 3 }, { connection_id: "0195b9f0-5c4a-7f3e-9a1b-2c3d4e5f6a83", weight: 1 }] },
    },
    success: { status: 201, description: "The rule.", schema: routingRuleResponse },
  },
  {
    method: "get",
    path: "/routing_rules",
    operationId: "listRoutingRules",
    tag: "Routing rules",
    summary: "List routing rules",
    description: "In evaluation order.",
    query: paginationQuery,
    success: pageOf(routingRuleResponse, "rules"),
  },
  {
    method: "get",
    path: "/routing_rules/{id}",
    operationId: "getRoutingRule",
    tag: "Routing rules",
    summary: "Get a routing rule",
    success: { status: 200, description: "The rule.", schema: routingRuleResponse },
  },
  {
    method: "patch",
    path: "/routing_rules/{id}",
    operationId: "updateRoutingRule",
    tag: "Routing rules",
    summary: "Update a routing rule",
    description: "Send only what changes; `providers`, when given, replaces the list.",
    body: { schema: updateRoutingRuleInput, example: { enabled: false } },
    success: { status: 200, description: "The updated rule.", schema: routingRuleResponse },
  },
  {
    method: "delete",
    path: "/routing_rules/{id}",
    operationId: "deleteRoutingRule",
    tag: "Routing rules",
    summary: "Delete a routing rule",
    success: { status: 204, description: "Deleted." },
  },
];
