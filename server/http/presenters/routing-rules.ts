import type { RoutingRuleWithTargets } from "../../services/routing/routing-rules";
import type { RoutingConditions } from "../../services/routing/schemas";

export function presentRoutingRule(rule: RoutingRuleWithTargets) {
  const conditions = rule.conditions as RoutingConditions;
  return {
    id: rule.id,
    name: rule.name,
    conditions: { from_domains: conditions.from_domains ?? [], tags: conditions.tags ?? [] },
    strategy: rule.strategy,
    providers: rule.targets.map((t) => ({
      connection_id: t.connectionId,
      provider: t.connection.provider,
      display_name: t.connection.displayName,
      enabled: t.connection.enabled,
      weight: t.weight,
    })),
    enabled: rule.enabled,
    position: rule.position,
    created_at: rule.createdAt.toISOString(),
    updated_at: rule.updatedAt.toISOString(),
  };
}
