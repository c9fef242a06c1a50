import { randomUUID } from "node:crypto";
import { getDb, Prisma } from "../../db";
import { AppError } from "../../lib/errors";
import { checkWebhookUrl } from "./check-webhook-url";
import type { CreateWebhookEndpointInput } from "./schemas";
import { generateWebhookSecret, sealWebhookSecret } from "./webhook-secret";

/** Endpoints per tenant, active and inactive alike: each event fans out to every one of them. */
export const MAX_WEBHOOK_ENDPOINTS = 20;
/** The advisory lock space of "one tenant's endpoint count" (two-key form: this, and a hash of the tenant id). */
const COUNT_LOCK_CLASS = 0x57484550; // "WHEP"

/**
 * Checks the URL against the outbound guard, then stores the endpoint unless the tenant has 20 already;
 * the plain secret is returned only here. The count and the insert run under a per-tenant transaction
 * lock, so concurrent creates cannot overshoot the cap.
 */
export async function createWebhookEndpoint(tenantId: string, input: CreateWebhookEndpointInput) {
  await checkWebhookUrl(input.url);
  const id = randomUUID();
  const secret = generateWebhookSecret();
  const db = await getDb();
  const endpoint = await db.$transaction(async (tx) => {
    await tx.$executeRaw(Prisma.sql`SELECT pg_advisory_xact_lock(${COUNT_LOCK_CLASS}::int, hashtext(${tenantId}))`);
    const count = await tx.webhookEndpoint.count({ where: { tenantId } });
    if (count >= MAX_WEBHOOK_ENDPOINTS) {
      throw AppError.validation(`A tenant can have at most ${MAX_WEBHOOK_ENDPOINTS} webhook endpoints (active or not): delete one to add another`);
    }
    return tx.webhookEndpoint.create({
      data: { id, tenantId, url: input.url, description: input.description ?? null, events: [...new Set(input.events)], secretEncrypted: sealWebhookSecret(id, secret) },
    });
    // PGlite has one connection: the transaction may wait behind other work, so allow more than Prisma's 2 s.
  }, { maxWait: 15_000, timeout: 15_000 });
  return { endpoint, secret };
}
