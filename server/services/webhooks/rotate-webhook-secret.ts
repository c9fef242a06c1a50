import { getDb } from "../../db";
import { AppError } from "../../lib/errors";
import { getWebhookEndpointOrThrow } from "./get-webhook-endpoint";
import { generateWebhookSecret, PREVIOUS_SECRET_TTL_MS, sealWebhookSecret } from "./webhook-secret";

/**
 * A new signing secret; the one it replaces keeps signing beside it for 24 hours, so receivers can switch
 * without dropping a delivery. The write is conditional on the secret read: of two racing rotations one
 * wins and the other rotates again from its result, so no secret handed out is lost unannounced.
 *
 * There is room for one previous secret only. A rotation while an earlier rotation's 24 h are still
 * running ends them: the secret from before that earlier rotation stops signing at once, not when the
 * earlier answer said; the secret being replaced now gets its full 24 h. The answer says so
 * (`olderSecretRevoked`), and `previousSecretExpiresAt` is always that of the secret being replaced.
 */
export async function rotateWebhookSecret(tenantId: string, id: string) {
  const db = await getDb();
  for (let tries = 0; tries < 5; tries++) {
    const existing = await getWebhookEndpointOrThrow(tenantId, id);
    const now = new Date();
    const secret = generateWebhookSecret();
    const previousSecretExpiresAt = new Date(now.getTime() + PREVIOUS_SECRET_TTL_MS);
    const olderSecretRevoked = existing.previousSecretEncrypted !== null && existing.previousSecretExpiresAt !== null && existing.previousSecretExpiresAt > now;
    const { count } = await db.webhookEndpoint.updateMany({
      where: { id: existing.id, tenantId, secretEncrypted: existing.secretEncrypted },
      data: { secretEncrypted: sealWebhookSecret(existing.id, secret), previousSecretEncrypted: existing.secretEncrypted, previousSecretExpiresAt },
    });
    if (count === 1) return { secret, previousSecretExpiresAt, olderSecretRevoked };
  }
  throw new AppError("conflict", "The secret is being rotated by another request; try again");
}
