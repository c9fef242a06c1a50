import { getDb, type Prisma } from "../../db";
import { pageWindow, type Pagination } from "../../lib/pagination";
import { isTestKey, type Principal } from "../auth/authenticate-request";
import { getWebhookEndpointOrThrow } from "./get-webhook-endpoint";
import type { ListWebhookDeliveriesQuery } from "./schemas";

/**
 * Newest first, each with its attempt log (status code, duration, error, response snippet). A test key
 * sees only deliveries of test events (payload `test: true`: test-mode emails' events and POST /:id/test),
 * as it sees only test emails: a live delivery's payload (recipient, metadata) and the receiver's answers
 * are live data. Live keys and users see all.
 */
export async function listWebhookDeliveries(tenantId: string, principal: Principal, endpointId: string, filters: ListWebhookDeliveriesQuery, page: Pagination) {
  const endpoint = await getWebhookEndpointOrThrow(tenantId, endpointId);
  const db = await getDb();
  const where: Prisma.WebhookDeliveryWhereInput = {
    tenantId,
    endpointId: endpoint.id,
    ...(filters.status ? { status: filters.status } : {}),
    ...(isTestKey(principal) ? { payload: { path: ["test"], equals: true } } : {}),
  };
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
