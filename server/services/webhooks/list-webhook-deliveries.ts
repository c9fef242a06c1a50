import { getDb } from "../../db";
import { pageWindow, type Pagination } from "../../lib/pagination";
import { getWebhookEndpointOrThrow } from "./get-webhook-endpoint";
import type { ListWebhookDeliveriesQuery } from "./schemas";

/** Newest first, each with its attempt log (status code, duration, error, response snippet). */
export async function listWebhookDeliveries(tenantId: string, endpointId: string, filters: ListWebhookDeliveriesQuery, page: Pagination) {
  const endpoint = await getWebhookEndpointOrThrow(tenantId, endpointId);
  const db = await getDb();
  const where = { tenantId, endpointId: endpoint.id, ...(filters.status ? { status: filters.status } : {}) };
  const [items, total] = await Promise.all([
    db.webhookDelivery.findMany({
      where,
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      include: { attemptLog: { orderBy: { attempt: "asc" } } },
      ...pageWindow(page),
    }),
    db.webhookDelivery.count({ where }),
  ]);
  return { items, total };
}
