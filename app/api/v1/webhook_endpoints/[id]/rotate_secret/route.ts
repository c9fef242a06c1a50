import { apiRoute, reply } from "@/server/http/api-route";
import { methods } from "@/server/http/methods";
import { rotateWebhookSecret } from "@/server/services/webhooks/rotate-webhook-secret";

export const { GET, HEAD, OPTIONS, POST, PUT, PATCH, DELETE } = methods({
  // POST /api/v1/webhook_endpoints/:id/rotate_secret — a new secret; for 24 h deliveries are signed with it and the one it replaces
  // (one previous secret at a time: a still-signing older one stops now, older_secret_revoked: true)
  POST: apiRoute({}, async ({ tenantId, params }) => {
    const { secret, previousSecretExpiresAt, olderSecretRevoked } = await rotateWebhookSecret(tenantId, params.id!);
    return reply({ secret, previous_secret_expires_at: previousSecretExpiresAt.toISOString(), older_secret_revoked: olderSecretRevoked });
  }),
});
