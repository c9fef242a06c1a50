import { getDb } from "../../db";
import { AppError } from "../../lib/errors";
import { checkOutboundTargets } from "./check-outbound";
import { credentialsHint, openCredentials, sealCredentials, type StoredSettings } from "./connection-secrets";
import { applyEventsSecretsInput, openEventsSecrets, sealEventsSecrets } from "./events-secrets";
import { getProviderConnectionOrThrow } from "./get-provider-connection";
import { connectionFieldErrors, credentialResendErrors, DESTINATION_FIELDS, type UpdateProviderConnectionInput } from "./schemas";
import { verifyAndStore } from "./verify-credentials";

/**
 * Settings, priority, enabled, and credential rotation (send the new api_key and/or secret). A change of
 * destination (endpoint, region, host, port, TLS mode) needs every stored credential sent again. Whatever
 * changes how we reach the provider is verified again; a re-enabled connection starts with a closed circuit.
 * The event-webhook settings (webhook_signing_key, sns_topic_arn) change without contacting the provider.
 */
export async function updateProviderConnection(tenantId: string, id: string, input: UpdateProviderConnectionInput) {
  const existing = await getProviderConnectionOrThrow(tenantId, id);
  const { display_name, priority, weight, enabled, api_key, secret, webhook_signing_key, sns_topic_arn, ...settingsInput } = input;
  const stored = openCredentials(existing);
  const credentials = { ...stored, ...(api_key !== undefined ? { api_key } : {}), ...(secret !== undefined ? { secret } : {}) };
  const before = existing.settings as StoredSettings;
  const settings: StoredSettings = { ...before };
  for (const [key, value] of Object.entries(settingsInput) as [keyof StoredSettings, StoredSettings[keyof StoredSettings]][]) {
    if (value === null) delete settings[key];
    else if (value !== undefined) (settings as Record<string, unknown>)[key] = value;
  }
  const destinationChanged = DESTINATION_FIELDS.filter((field) => settings[field] !== before[field]);
  const storedEvents = openEventsSecrets(existing);
  const events = applyEventsSecretsInput(existing.provider, storedEvents, { webhook_signing_key, sns_topic_arn });
  const eventsChanged = JSON.stringify(events.secrets) !== JSON.stringify(storedEvents);
  const errors = [
    ...connectionFieldErrors(existing.provider, { ...credentials, ...settings }),
    ...credentialResendErrors(stored, { api_key, secret }, destinationChanged),
    ...events.errors,
  ];
  // Nothing is contacted and nothing changes before this point passes.
  if (errors.length > 0) throw AppError.validation(errors);
  const reachChanged = api_key !== undefined || secret !== undefined || Object.values(settingsInput).some((v) => v !== undefined);
  if (reachChanged) await checkOutboundTargets(existing.provider, settings);

  const db = await getDb();
  const row = await db.providerConnection.update({
    where: { id: existing.id, tenantId },
    data: {
      ...(display_name !== undefined ? { displayName: display_name } : {}),
      ...(priority !== undefined ? { priority } : {}),
      ...(weight !== undefined ? { weight } : {}),
      ...(enabled !== undefined ? { enabled } : {}),
      ...(eventsChanged ? { eventsSecretsEncrypted: sealEventsSecrets(existing.id, events.secrets) } : {}),
      ...(enabled === true && !existing.enabled ? { circuitState: "closed", consecutiveFailures: 0, circuitOpenedAt: null, circuitRetryAt: null } : {}),
      ...(reachChanged
        ? {
            credentialsEncrypted: sealCredentials(existing.id, credentials),
            credentialsHint: credentialsHint(credentials),
            settings,
            verificationStatus: "unverified",
            verificationMessage: null,
            // New credentials deserve a fresh chance: the breaker's memory was about the old ones.
            circuitState: "closed",
            consecutiveFailures: 0,
            circuitOpenedAt: null,
            circuitRetryAt: null,
          }
        : {}),
    },
  });
  return reachChanged ? verifyAndStore(row) : { row, result: undefined };
}
