/**
 * Pure routing: which connections an email tries, in which order. Kept free of I/O so the strategies can
 * be checked over thousands of plans.
 */
import type { RoutingStrategy } from "../../db";
import type { RoutingConditions } from "./schemas";

export interface CandidateConnection {
  id: string;
  priority: number;
  createdAt: Date;
}

export interface RuleForOrdering {
  strategy: RoutingStrategy;
  /** The rule's listed connections in their listed order, with weights. */
  targets: { connectionId: string; weight: number }[];
}

export interface OrderingChoices {
  /** In [0, 1): the weighted strategy's draw. */
  random: number;
  /** The tenant-and-rule rotation counter: the round-robin strategy's pick. */
  rotation: number;
}

export function byPriority(a: CandidateConnection, b: CandidateConnection): number {
  return a.priority - b.priority || a.createdAt.getTime() - b.createdAt.getTime() || a.id.localeCompare(b.id);
}

/**
 * - priority: the rule's connections in listed order (without a rule: all by priority), then the others by priority;
 * - weighted: the first pick drawn in proportion to weight, then the rest as for priority;
 * - round_robin: the first pick rotates through the rule's connections, then the rest as for priority;
 * - failover_only: only the rule's connections, strictly in listed order.
 * `enabled` holds the tenant's enabled connections; listed connections that are disabled are left out.
 */
export function orderConnections(enabled: CandidateConnection[], rule: RuleForOrdering | null, choices: OrderingChoices): string[] {
  const sorted = [...enabled].sort(byPriority);
  if (!rule) return sorted.map((c) => c.id);
  const enabledIds = new Set(sorted.map((c) => c.id));
  const listed = rule.targets.filter((t) => enabledIds.has(t.connectionId));
  const listedIds = listed.map((t) => t.connectionId);
  const rest = sorted.map((c) => c.id).filter((id) => !listedIds.includes(id));
  switch (rule.strategy) {
    case "failover_only":
      return listedIds;
    case "priority":
      return [...listedIds, ...rest];
    case "weighted": {
      const first = drawWeighted(listed, choices.random);
      return first === undefined ? [...listedIds, ...rest] : [first, ...listedIds.filter((id) => id !== first), ...rest];
    }
    case "round_robin": {
      if (listedIds.length === 0) return rest;
      const first = listedIds[choices.rotation % listedIds.length]!;
      return [first, ...listedIds.filter((id) => id !== first), ...rest];
    }
  }
}

function drawWeighted(targets: { connectionId: string; weight: number }[], random: number): string | undefined {
  const total = targets.reduce((sum, t) => sum + Math.max(0, t.weight), 0);
  if (total <= 0) return undefined;
  let point = random * total;
  for (const t of targets) {
    point -= Math.max(0, t.weight);
    if (point < 0) return t.connectionId;
  }
  return targets.findLast((t) => t.weight > 0)?.connectionId;
}

export interface EmailForMatching {
  fromEmail: string;
  tags: string[];
}

/** Empty conditions match every email; each given condition must hold (from domain exact, any listed tag). */
export function ruleMatches(conditions: RoutingConditions, email: EmailForMatching): boolean {
  const fromDomain = email.fromEmail.slice(email.fromEmail.lastIndexOf("@") + 1).toLowerCase();
  if (conditions.from_domains?.length && !conditions.from_domains.includes(fromDomain)) return false;
  if (conditions.tags?.length && !conditions.tags.some((t) => email.tags.includes(t))) return false;
  return true;
}
