/**
 * Accept-time check of a send's `routing.connections`: each entry is one of the tenant's connection ids or
 * a provider name the tenant has connected (all its connections of that provider, by priority). The
 * result, connection ids in order, is what the email stores and resolvePlan narrows the plan to. Another
 * tenant's id reads exactly like an unknown one, so nothing about other accounts is disclosed.
 */
import { getDb } from "../../db";
import { AppError } from "../../lib/errors";
import { PROVIDER_NAMES, type ProviderName } from "../../providers/types";
import { byPriority } from "../routing/order-connections";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface RoutingTarget {
  id: string;
  provider: ProviderName;
  priority: number;
  createdAt: Date;
}

/** The tenant's connections a routing list may name, by priority: one read for a whole batch. */
export async function loadRoutingTargets(tenantId: string): Promise<RoutingTarget[]> {
  const db = await getDb();
  // Disabled ones count as connected: the plan skips them while they stay disabled.
  return (await db.providerConnection.findMany({ where: { tenantId }, select: { id: true, provider: true, priority: true, createdAt: true } })).sort(byPriority);
}

/** The entries as connection ids in order, or one message per bad entry (`routing.connections.1 …`). */
export function resolveRoutingRefs(connections: readonly RoutingTarget[], refs: readonly string[]): { ids: string[] } | { errors: string[] } {
  const errors: string[] = [];
  const ids: string[] = [];
  refs.forEach((ref, index) => {
    const field = `routing.connections.${index}`;
    if ((PROVIDER_NAMES as readonly string[]).includes(ref)) {
      const ofProvider = connections.filter((c) => c.provider === (ref as ProviderName));
      if (ofProvider.length === 0) errors.push(`${field} names ${ref}, which this account has not connected`);
      ids.push(...ofProvider.map((c) => c.id));
      return;
    }
    const found = UUID.test(ref) ? connections.find((c) => c.id === ref.toLowerCase()) : undefined;
    if (found) ids.push(found.id);
    else if (UUID.test(ref)) errors.push(`${field} is not a connection of this account`);
    else errors.push(`${field} must be a connection id or one of: ${PROVIDER_NAMES.join(", ")}`);
  });
  return errors.length > 0 ? { errors } : { ids: [...new Set(ids)] };
}

/** Throws AppError.validation naming each bad entry, as the REST 422 shows it. */
export async function resolveRoutingConnections(tenantId: string, refs: readonly string[]): Promise<string[]> {
  const resolved = resolveRoutingRefs(await loadRoutingTargets(tenantId), refs);
  if ("errors" in resolved) throw AppError.validation(resolved.errors);
  return resolved.ids;
}
