/**
 * The routing plan of one delivery round: the first enabled rule that matches picks the strategy and the
 * connections; without rules every enabled connection by priority. Each entry says whether its circuit is
 * cooling down, so the caller can skip it without spending a timeout on an outage already known.
 */
import { randomInt } from "node:crypto";
import { getDb, Prisma, type ProviderConnection } from "../../db";
import { orderConnections, ruleMatches } from "../routing/order-connections";
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
}

export async function resolvePlan(tenantId: string, email: { fromEmail: string; tags: string[] }, now = new Date()): Promise<DeliveryPlan> {
  const db = await getDb();
  const [connections, rules] = await Promise.all([
    db.providerConnection.findMany({
      where: { tenantId, enabled: true },
      select: { id: true, provider: true, priority: true, createdAt: true, circuitState: true, circuitRetryAt: true },
    }),
    db.routingRule.findMany({
      where: { tenantId, enabled: true },
      orderBy: [{ position: "asc" }, { createdAt: "asc" }],
      include: { targets: { orderBy: { position: "asc" }, select: { connectionId: true, weight: true } } },
    }),
  ]);
  const rule = rules.find((r) => ruleMatches(r.conditions as RoutingConditions, email)) ?? null;
  const rotation = rule?.strategy === "round_robin" ? await nextRotation(tenantId, rule.id) : 0;
  const ordered = orderConnections(connections, rule, { random: randomInt(0, 2 ** 32) / 2 ** 32, rotation });
  const byId = new Map(connections.map((c) => [c.id, c]));
  const entries = ordered.map((id) => {
    const c = byId.get(id)!;
    const cooling = c.circuitState === "open" && c.circuitRetryAt !== null && c.circuitRetryAt > now;
    return { connectionId: id, provider: c.provider, coolingDownUntil: cooling ? c.circuitRetryAt!.toISOString() : null };
  });
  return { entries, ruleId: rule?.id ?? null, strategy: rule?.strategy ?? "priority" };
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
