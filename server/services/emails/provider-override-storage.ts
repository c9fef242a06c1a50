/**
 * Server-side halves of per-message provider overrides: the accept-time outbound check of an SMTP config
 * override's host, and how the overrides rest with the email (the SMTP auth sealed apart). Kept out of
 * provider-overrides.ts, which the browser's send form loads through the send schema.
 */
import { getSecrets } from "../../env";
import { decrypt, encrypt } from "../../lib/crypto";
import { AppError } from "../../lib/errors";
import { assertOutboundHostAllowed, isOutboundAddressError } from "../../lib/outbound-guard";
import { currentOutboundGuard } from "../provider-connections/check-outbound";
import type { ProviderOverridesInput } from "./provider-overrides";

/**
 * At accept time: an SMTP config override's host must be one the outbound guard allows (a 422 naming the
 * field), as a stored connection's host must. A momentary DNS failure is let through: the socket checks
 * again when it connects, and decides there.
 */
export async function checkProviderOverrideTargets(overrides: ProviderOverridesInput | undefined): Promise<void> {
  const host = overrides?.smtp?.config?.host;
  if (!host) return;
  try {
    await assertOutboundHostAllowed(host, currentOutboundGuard());
  } catch (error) {
    if (!isOutboundAddressError(error)) throw error;
    if (!error.temporary) throw AppError.validation(`provider_overrides.smtp.config.host is not allowed: ${error.message}`);
  }
}

/**
 * How the overrides rest with the email: everything in plain JSON except the SMTP config's auth, which is
 * sealed (AES-256-GCM, bound to the email id) into `sealedAuth`, a separate column the send path erases
 * once the email is final. Neither half ever goes into a response.
 */
export interface StoredProviderOverrides {
  overrides: ProviderOverridesInput;
  sealedAuth: string | null;
}

const authAad = (emailId: string) => `email-smtp-override:${emailId}`;

export function sealProviderOverrides(emailId: string, overrides: ProviderOverridesInput): StoredProviderOverrides {
  const auth = overrides.smtp?.config?.auth;
  if (!auth || !overrides.smtp?.config) return { overrides, sealedAuth: null };
  const config = { ...overrides.smtp.config };
  delete config.auth;
  return {
    overrides: { ...overrides, smtp: { ...overrides.smtp, config } },
    sealedAuth: encrypt(JSON.stringify({ user: auth.user, pass: auth.pass }), getSecrets().keyRing, authAad(emailId)),
  };
}

/**
 * The overrides as the attempt needs them. With the auth already erased (the email went final, or a
 * retry after erasure), the config keeps no credentials: stored ones never go to its destination either.
 */
export function openProviderOverrides(emailId: string, stored: StoredProviderOverrides): ProviderOverridesInput {
  const { overrides, sealedAuth } = stored;
  if (!sealedAuth || !overrides.smtp?.config) return overrides;
  const auth = JSON.parse(decrypt(sealedAuth, getSecrets().keyRing, authAad(emailId))) as { user: string; pass: string };
  return { ...overrides, smtp: { ...overrides.smtp, config: { ...overrides.smtp.config, auth } } };
}
