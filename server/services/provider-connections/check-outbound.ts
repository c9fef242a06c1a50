import { outboundPolicy } from "../../env";
import { AppError } from "../../lib/errors";
import { assertOutboundHostAllowed, assertOutboundUrlAllowed, isOutboundAddressError, outboundGuard, type OutboundGuard } from "../../lib/outbound-guard";
import { ProviderError, type ProviderName } from "../../providers/types";
import type { StoredSettings } from "./connection-secrets";

/**
 * Endpoint overrides and SMTP hosts may not point at internal addresses (SSRF): checked when a connection
 * is saved or verified (a 422 naming the field) and before each send (a provider error). The sockets then
 * enforce the same guard at connect time (toProviderConfig hands it to the adapters), which is what holds
 * when a name's answer changes between this check and the connection.
 */

/** The policy of this moment (server/env.ts) with the current resolver. */
export function currentOutboundGuard(): OutboundGuard {
  return outboundGuard(outboundPolicy());
}

/** When a connection is saved or verified: a refused, unknown or momentarily unresolvable target is a 422. */
export async function checkOutboundTargets(provider: ProviderName, settings: StoredSettings): Promise<void> {
  const failure = await targetFailure(provider, settings, currentOutboundGuard());
  if (!failure) return;
  const { field, error } = failure;
  if (error.temporary) throw AppError.validation(`${field} could not be checked: ${error.message}; try again`);
  throw AppError.validation(`${field} is not allowed: ${error.message}`);
}

/**
 * Before a send: a refused address or a name that does not exist is permanent (no retry changes it); a DNS
 * failure for a temporary reason (EAI_AGAIN, SERVFAIL, timeout) is transient, so the send fails over to
 * the next provider and the failure counts toward this connection's circuit.
 */
export async function assertSendTargetsAllowed(provider: ProviderName, settings: StoredSettings): Promise<void> {
  const failure = await targetFailure(provider, settings, currentOutboundGuard());
  if (!failure) return;
  const { field, error } = failure;
  throw new ProviderError({
    kind: error.temporary ? "transient" : "permanent",
    reason: `${field} ${error.temporary ? "could not be resolved" : "is not allowed"}: ${error.message}`,
    code: error.code,
    accepted: "no",
  });
}

async function targetFailure(provider: ProviderName, settings: StoredSettings, guard: OutboundGuard) {
  try {
    if (settings.endpoint) await assertOutboundUrlAllowed(settings.endpoint, guard);
  } catch (error) {
    if (isOutboundAddressError(error)) return { field: "endpoint", error };
    throw error;
  }
  try {
    if (provider === "smtp" && settings.smtp_host) await assertOutboundHostAllowed(settings.smtp_host, guard);
  } catch (error) {
    if (isOutboundAddressError(error)) return { field: "smtp_host", error };
    throw error;
  }
  return undefined;
}
