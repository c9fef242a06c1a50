/** How the routing rules pages describe strategies and conditions (order-connections.ts is the behaviour). */
import type { RoutingConditions } from "@/server/services/routing/schemas";
import { ROUTING_STRATEGIES } from "@/server/services/routing/schemas";

export type Strategy = (typeof ROUTING_STRATEGIES)[number];

export const STRATEGIES: Record<Strategy, { label: string; help: string }> = {
  priority: { label: "Priority", help: "The listed connections in the order given, then your other enabled connections by priority." },
  weighted: { label: "Weighted", help: "The first attempt goes to a listed connection drawn by weight; failover then follows the list, then the others by priority." },
  round_robin: { label: "Round robin", help: "The first attempt rotates through the listed connections; failover follows the list, then the others by priority." },
  failover_only: { label: "Listed only", help: "Only the listed connections, strictly in order: your other connections are never used for these emails." },
};

export const STRATEGY_ORDER: readonly Strategy[] = ROUTING_STRATEGIES;

export function strategyLabel(strategy: string): string {
  return STRATEGIES[strategy as Strategy]?.label ?? strategy;
}

/** "From yourapp.com or mail.yourapp.com · tagged billing", or "Every email". */
export function conditionsSummary(conditions: RoutingConditions | { from_domains: string[]; tags: string[] }): string {
  const parts: string[] = [];
  const domains = conditions.from_domains ?? [];
  const tags = conditions.tags ?? [];
  if (domains.length > 0) parts.push(`From ${joinOr(domains)}`);
  if (tags.length > 0) parts.push(`tagged ${joinOr(tags)}`);
  if (parts.length === 0) return "Every email";
  const text = parts.join(" and ");
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function joinOr(items: readonly string[]): string {
  if (items.length <= 3) return items.length <= 1 ? (items[0] ?? "") : `${items.slice(0, -1).join(", ")} or ${items.at(-1)}`;
  return `${items.slice(0, 3).join(", ")} or ${items.length - 3} more`;
}
