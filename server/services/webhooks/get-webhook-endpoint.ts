import { getDb } from "../../db";
import { AppError } from "../../lib/errors";

export async function getWebhookEndpointOrThrow(tenantId: string, id: string) {
  const db = await getDb();
  const row = await db.webhookEndpoint.findFirst({ where: { id, tenantId } });
  if (!row) throw AppError.notFound();
  return row;
}

/** Test events and replays go only to an active endpoint: to a disabled one they could only fail. */
export async function activeEndpointOrThrow(tenantId: string, endpointId: string) {
  const endpoint = await getWebhookEndpointOrThrow(tenantId, endpointId);
  if (!endpoint.active) throw AppError.validation("The endpoint is not active: re-activate it first (PATCH active: true)");
  return endpoint;
}
