import { outboundAllowsPrivate } from "../../env";
import { AppError } from "../../lib/errors";
import { assertOutboundHostAllowed, assertOutboundUrlAllowed, OutboundAddressError } from "../../lib/outbound-guard";
import type { ProviderName } from "../../providers/types";
import type { StoredSettings } from "./connection-secrets";

/** Endpoint overrides and SMTP hosts may not point at internal addresses in production (SSRF). */
export async function checkOutboundTargets(provider: ProviderName, settings: StoredSettings): Promise<void> {
  const policy = { allowPrivate: outboundAllowsPrivate() };
  try {
    if (settings.endpoint) await assertOutboundUrlAllowed(settings.endpoint, policy);
    if (provider === "smtp" && settings.smtp_host) await assertOutboundHostAllowed(settings.smtp_host, policy);
  } catch (error) {
    if (error instanceof OutboundAddressError) {
      throw AppError.validation(`${settings.endpoint ? "endpoint" : "smtp_host"} is not allowed: ${error.message}`);
    }
    throw error;
  }
}
