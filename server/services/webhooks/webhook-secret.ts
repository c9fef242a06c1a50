/**
 * Signing secrets at rest: `whsec_<base64 of 32 random bytes>` (the Standard Webhooks form), sealed with
 * AES-256-GCM under the newest key of the ring and bound to the endpoint id, so an envelope copied onto
 * another row does not open. The plain secret leaves only at creation and on rotation.
 */
import { randomBytes } from "node:crypto";
import type { WebhookEndpoint } from "../../db";
import { getSecrets } from "../../env";
import { decrypt, encrypt } from "../../lib/crypto";

/** How long the secret before a rotation keeps signing deliveries beside the new one. */
export const PREVIOUS_SECRET_TTL_MS = 24 * 60 * 60 * 1000;

export function generateWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString("base64")}`;
}

export function sealWebhookSecret(endpointId: string, secret: string): string {
  return encrypt(secret, getSecrets().keyRing, aad(endpointId));
}

/** The secrets a delivery made now is signed with: the current one, and the previous one within its 24 h. */
export function signingSecrets(endpoint: Pick<WebhookEndpoint, "id" | "secretEncrypted" | "previousSecretEncrypted" | "previousSecretExpiresAt">, now = new Date()): string[] {
  const ring = getSecrets().keyRing;
  const secrets = [decrypt(endpoint.secretEncrypted, ring, aad(endpoint.id))];
  if (endpoint.previousSecretEncrypted && endpoint.previousSecretExpiresAt && endpoint.previousSecretExpiresAt > now) {
    secrets.push(decrypt(endpoint.previousSecretEncrypted, ring, aad(endpoint.id)));
  }
  return secrets;
}

function aad(endpointId: string): string {
  return `webhook-endpoint:${endpointId}`;
}
