import { randomUUID } from "node:crypto";
import { getDb } from "../../db";
import { checkWebhookUrl } from "./check-webhook-url";
import type { CreateWebhookEndpointInput } from "./schemas";
import { generateWebhookSecret, sealWebhookSecret } from "./webhook-secret";

/** Checks the URL against the outbound guard, then stores the endpoint; the plain secret is returned only here. */
export async function createWebhookEndpoint(tenantId: string, input: CreateWebhookEndpointInput) {
  await checkWebhookUrl(input.url);
  const id = randomUUID();
  const secret = generateWebhookSecret();
  const db = await getDb();
  const endpoint = await db.webhookEndpoint.create({
    data: { id, tenantId, url: input.url, description: input.description ?? null, events: [...new Set(input.events)], secretEncrypted: sealWebhookSecret(id, secret) },
  });
  return { endpoint, secret };
}
