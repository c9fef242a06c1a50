/** CRUD of routing rules. Every referenced connection must belong to the same tenant. */
import { getDb, Prisma } from "../../db";
import { AppError } from "../../lib/errors";
import { pageWindow, type Pagination } from "../../lib/pagination";
import type { CreateRoutingRuleInput, UpdateRoutingRuleInput } from "./schemas";

const withTargets = { targets: { orderBy: { position: "asc" }, include: { connection: { select: { provider: true, displayName: true, enabled: true } } } } } as const;
export type RoutingRuleWithTargets = Prisma.RoutingRuleGetPayload<{ include: typeof withTargets }>;

async function assertConnectionsOwned(tenantId: string, providers: { connection_id: string }[]): Promise<void> {
  const db = await getDb();
  const ids = providers.map((p) => p.connection_id);
  const owned = new Set((await db.providerConnection.findMany({ where: { tenantId, id: { in: ids } }, select: { id: true } })).map((c) => c.id));
  const errors = providers.flatMap((p, i) => (owned.has(p.connection_id) ? [] : [`providers.${i}.connection_id is not one of your provider connections`]));
  if (errors.length > 0) throw AppError.validation(errors);
}

function targetRows(tenantId: string, providers: { connection_id: string; weight: number }[]) {
  return providers.map((p, position) => ({ tenantId, connectionId: p.connection_id, weight: p.weight, position }));
}

export async function createRoutingRule(tenantId: string, input: CreateRoutingRuleInput): Promise<RoutingRuleWithTargets> {
  await assertConnectionsOwned(tenantId, input.providers);
  const db = await getDb();
  const position = input.position ?? ((await db.routingRule.aggregate({ where: { tenantId }, _max: { position: true } }))._max.position ?? -1) + 1;
  return db.routingRule.create({
    data: {
      tenantId,
      name: input.name,
      conditions: input.conditions,
      strategy: input.strategy,
      enabled: input.enabled,
      position,
      targets: { create: targetRows(tenantId, input.providers) },
    },
    include: withTargets,
  });
}

export async function listRoutingRules(tenantId: string, page: Pagination) {
  const db = await getDb();
  const [items, total] = await Promise.all([
    db.routingRule.findMany({ where: { tenantId }, orderBy: [{ position: "asc" }, { createdAt: "asc" }], include: withTargets, ...pageWindow(page) }),
    db.routingRule.count({ where: { tenantId } }),
  ]);
  return { items, total };
}

export async function getRoutingRuleOrThrow(tenantId: string, id: string): Promise<RoutingRuleWithTargets> {
  const db = await getDb();
  const rule = await db.routingRule.findFirst({ where: { id, tenantId }, include: withTargets });
  if (!rule) throw AppError.notFound();
  return rule;
}

export async function updateRoutingRule(tenantId: string, id: string, input: UpdateRoutingRuleInput): Promise<RoutingRuleWithTargets> {
  const existing = await getRoutingRuleOrThrow(tenantId, id);
  const strategy = input.strategy ?? existing.strategy;
  const weights = input.providers ?? existing.targets.map((t) => ({ weight: t.weight }));
  if (strategy === "weighted" && !weights.some((t) => t.weight > 0)) throw AppError.validation("providers must include a provider with weight above 0 for the weighted strategy");
  if (input.providers) await assertConnectionsOwned(tenantId, input.providers);
  const db = await getDb();
  return db.$transaction(async (tx) => {
    // The rule row first, as a DELETE of the rule takes it (then its targets by cascade): the same lock
    // order on both sides, so a PATCH racing a DELETE waits instead of deadlocking, then finds it gone.
    const locked = await tx.$queryRaw<unknown[]>(Prisma.sql`SELECT 1 FROM "RoutingRule" WHERE "id" = ${existing.id}::uuid AND "tenantId" = ${tenantId}::uuid FOR UPDATE`);
    if (locked.length === 0) throw AppError.notFound();
    if (input.providers) {
      await tx.routingRuleTarget.deleteMany({ where: { ruleId: existing.id, tenantId } });
      await tx.routingRuleTarget.createMany({ data: targetRows(tenantId, input.providers).map((t) => ({ ...t, ruleId: existing.id })) });
    }
    return tx.routingRule.update({
      where: { id: existing.id, tenantId },
      data: {
        ...(input.name !== undefined ? { name: input.name } : {}),
        ...(input.conditions !== undefined ? { conditions: input.conditions } : {}),
        ...(input.strategy !== undefined ? { strategy: input.strategy } : {}),
        ...(input.enabled !== undefined ? { enabled: input.enabled } : {}),
        ...(input.position !== undefined ? { position: input.position } : {}),
      },
      include: withTargets,
    });
  });
}

export async function deleteRoutingRule(tenantId: string, id: string): Promise<void> {
  const db = await getDb();
  const { count } = await db.routingRule.deleteMany({ where: { id, tenantId } });
  if (count === 0) throw AppError.notFound();
}
