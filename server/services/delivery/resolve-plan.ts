/**
 * The routing plan of one delivery round: the first enabled rule that matches picks the strategy and the
 * connections; without rules every enabled connection by priority. An email with its own routing (the
 * send's `routing.connections`, resolved to ids at accept time by resolve-routing.ts) tries exactly those
 * connections in that order, rules aside, and fails over among them only. Each entry says whether its
 * circuit is cooling down, so the caller can skip it without spending a timeout on an outage already known.
 */
import { randomInt } from "node:crypto";
import { getDb, Prisma, type ProviderConnection } from "../../db";
import { orderConnections, ruleMatches, type RuleForOrdering } from "../routing/order-connections";
import type { RoutingConditions } from "../routing/schemas";

export interface PlanEntry {
  connectionId: string;
  provider: ProviderConnection["provider"] | "sandbox";
  /** Set while the connection's circuit is open: it is skipped until then. */
  coolingDownUntil: string | null;
}

export interface DeliveryPlan {
  entries: PlanEntry[];
  ruleId: string | null;
  strategy: string;
  /**
   * The planned connections as read for the plan, by id: the round's first attempt uses its row from here
   * instead of reading it again. In memory only: never part of a step's stored result (credentials).
   */
  connections: ReadonlyMap<string, ProviderConnection>;
}

export interface EmailForPlan {
  fromEmail: string;
  tags: string[];
  /** The email's own routing: connection ids in order. Absent, null or empty: the tenant's rules decide. */
  routingConnectionIds?: readonly string[] | null;
  /** The tenant's enabled rules when the caller read them with the email (enabledRulesSql); else read here. */
  rules?: PlanRule[];
  /**
   * The enabled connections the email may go through (its routed ones, or all the tenant's) when the caller
   * read them with the email (connection-rows.ts); else read here.
   */
  connections?: ProviderConnection[];
}

/** An enabled routing rule as a plan reads it: what it matches and how it orders its targets. */
export interface PlanRule extends RuleForOrdering {
  id: string;
  conditions: RoutingConditions;
}

/**
 * The tenant's enabled rules in evaluation order (position, then age), each with its targets in listed
 * order, as ONE json value: a scalar subquery for a caller's statement (the delivery's email read carries
 * it), so that a plan costs no statement of its own for the rules.
 */
export function enabledRulesSql(tenantId: Prisma.Sql): Prisma.Sql {
  return Prisma.sql`(
    SELECT coalesce(json_agg(json_build_object(
      'id', r."id", 'strategy', r."strategy"::text, 'conditions', r."conditions",
      'targets', (SELECT coalesce(json_agg(json_build_object('connectionId', t."connectionId", 'weight', t."weight") ORDER BY t."position"), '[]'::json)
                  FROM "RoutingRuleTarget" t WHERE t."ruleId" = r."id")
    ) ORDER BY r."position", r."createdAt"), '[]'::json)
    FROM "RoutingRule" r WHERE r."tenantId" = ${tenantId} AND r."enabled"
  )`;
}

async function readEnabledRules(tenantId: string): Promise<PlanRule[]> {
  const db = await getDb();
  const [row] = await db.$queryRaw<{ rules: PlanRule[] }[]>(Prisma.sql`SELECT ${enabledRulesSql(Prisma.sql`${tenantId}::uuid`)} AS "rules"`);
  return row?.rules ?? [];
}

/** The plan's name for an email routed by its own list. */
export const PER_MESSAGE_STRATEGY = "per_message";

export async function resolvePlan(tenantId: string, email: EmailForPlan, now = new Date()): Promise<DeliveryPlan> {
  const db = await getDb();
  const routed = email.routingConnectionIds?.length ? email.routingConnectionIds : null;
  if (routed) {
    // Only the listed ones are read: the others are never candidates, whatever the rules say.
    const listed = email.connections?.filter((c) => routed.includes(c.id)) ?? (await db.providerConnection.findMany({ where: { tenantId, enabled: true, id: { in: [...routed] } } }));
    const byId = new Map(listed.map((c) => [c.id, c]));
    const ordered = [...new Set(routed)].filter((id) => byId.has(id));
    return { entries: ordered.map((id) => planEntry(byId.get(id)!, now)), ruleId: null, strategy: PER_MESSAGE_STRATEGY, connections: byId };
  }
  const [connections, rules] = await Promise.all([email.connections ?? db.providerConnection.findMany({ where: { tenantId, enabled: true } }), email.rules ?? readEnabledRules(tenantId)]);
  const rule = rules.find((r) => ruleMatches(r.conditions, email)) ?? null;
  const rotation = rule?.strategy === "round_robin" ? await nextRotation(tenantId, rule.id) : 0;
  const ordered = orderConnections(connections, rule, { random: randomInt(0, 2 ** 32) / 2 ** 32, rotation });
  const byId = new Map(connections.map((c) => [c.id, c]));
  return { entries: ordered.map((id) => planEntry(byId.get(id)!, now)), ruleId: rule?.id ?? null, strategy: rule?.strategy ?? "priority", connections: byId };
}

function planEntry(c: Pick<ProviderConnection, "id" | "provider" | "circuitState" | "circuitRetryAt">, now: Date): PlanEntry {
  const cooling = c.circuitState === "open" && c.circuitRetryAt !== null && c.circuitRetryAt > now;
  return { connectionId: c.id, provider: c.provider, coolingDownUntil: cooling ? c.circuitRetryAt!.toISOString() : null };
}

/** One atomic increment per round-robin plan, shared by every app instance. */
async function nextRotation(tenantId: string, scope: string): Promise<number> {
  const db = await getDb();
  const rows = await db.$queryRaw<{ counter: bigint }[]>(Prisma.sql`
    INSERT INTO "RoutingCursor" ("tenantId", "scope", "counter") VALUES (${tenantId}::uuid, ${scope}, 0)
    ON CONFLICT ("tenantId", "scope") DO UPDATE SET "counter" = "RoutingCursor"."counter" + 1
    RETURNING "counter"`);
  return Number(rows[0]?.counter ?? 0);
}
