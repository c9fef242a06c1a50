import { getDb } from "../../db";
import { AppError } from "../../lib/errors";
import { getWebhookEndpointOrThrow } from "./get-webhook-endpoint";
import { generateWebhookSecret, PREVIOUS_SECRET_TTL_MS, sealWebhookSecret } from "./webhook-secret";

/**
 * A new signing secret; the one it replaces keeps signing beside it for 24 hours, so receivers can switch
 * without dropping a delivery. The write is conditional on the secret read: of two racing rotations one
 * wins and the other rotates again from its result, so no secret handed out is lost unannounced.
 */
export async function rotateWebhookSecret(tenantId: string, id: string) {
  const db = await getDb();
  for (let tries = 0; tries < 5; tries++) {
    const existing = await getWebhookEndpointOrThrow(tenantId, id);
    const secret = generateWebhookSecret();
    const previousSecretExpiresAt = new Date(Date.now() + PREVIOUS_SECRET_TTL_MS);
    const { count } = await db.webhookEndpoint.updateMany({
      where: { id: existing.id, tenantId, secretEncrypted: existing.secretEncrypted },
      data: { secretEncrypted: sealWebhookSecret(existing.id, secret), previousSecretEncrypted: existing.secretEncrypted, previousSecretExpiresAt },
    });
    if (count === 1) return { secret, previousSecretExpiresAt };
  }
  throw new AppError("conflict", "The secret is being rotated by another request; try again");
}
