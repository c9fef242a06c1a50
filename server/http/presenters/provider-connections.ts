import type { ProviderConnection } from "../../db";
import type { StoredSettings } from "../../services/provider-connections/connection-secrets";
import type { VerifyResult } from "../../providers/types";

import { iso } from "./format";

/** Credentials never appear: only the masked hint stored at write time. */
export function presentProviderConnection(row: ProviderConnection, verification?: VerifyResult) {
  const settings = row.settings as StoredSettings;
  return {
    id: row.id,
    provider: row.provider,
    display_name: row.displayName,
    priority: row.priority,
    weight: row.weight,
    enabled: row.enabled,
    credentials_hint: row.credentialsHint,
    region: settings.region ?? null,
    smtp_host: settings.smtp_host ?? null,
    smtp_port: settings.smtp_port ?? null,
    ...(row.provider === "smtp" ? { secure: settings.secure ?? false, require_tls: settings.require_tls ?? false, tls_reject_unauthorized: settings.tls_reject_unauthorized ?? true } : {}),
    endpoint: settings.endpoint ?? null,
    verification: {
      status: verification?.status ?? row.verificationStatus,
      message: verification?.message ?? row.verificationMessage,
      verified_at: iso(row.verifiedAt),
    },
    health: {
      state: row.circuitState,
      consecutive_failures: row.consecutiveFailures,
      opened_at: iso(row.circuitOpenedAt),
      retry_at: iso(row.circuitRetryAt),
      last_failure_at: iso(row.lastFailureAt),
      last_failure_reason: row.lastFailureReason,
      last_success_at: iso(row.lastSuccessAt),
    },
    created_at: row.createdAt.toISOString(),
    updated_at: row.updatedAt.toISOString(),
  };
}
