import { randomUUID } from "node:crypto";
import { getDb } from "../../db";
import { AppError } from "../../lib/errors";
import { checkOutboundTargets } from "./check-outbound";
import { credentialsHint, sealCredentials, type StoredSettings } from "./connection-secrets";
import { applyEventsSecretsInput, generateBasicCredentials, sealEventsSecrets, type BasicCredentials } from "./events-secrets";
import { connectionFieldErrors, type CreateProviderConnectionInput } from "./schemas";
import { verifyAndStore } from "./verify-credentials";

const DEFAULT_NAMES = { sendgrid: "SendGrid", mailgun: "Mailgun", aws_ses: "Amazon SES", postmark: "Postmark", resend: "Resend", smtp: "SMTP" } as const;

/**
 * Encrypts the credentials and the event-webhook settings, stores the connection, then verifies it with the
 * provider and stores the result. A Postmark connection gets its webhook credentials here, returned once.
 */
export async function createProviderConnection(tenantId: string, input: CreateProviderConnectionInput) {
  const { provider, display_name, priority, weight, enabled, api_key, secret, webhook_signing_key, sns_topic_arn, ...settingsInput } = input;
  const settings: StoredSettings = Object.fromEntries(Object.entries(settingsInput).filter(([, v]) => v !== undefined));
  if (provider === "mailgun") settings.region ??= "us";
  if (provider === "smtp") settings.secure ??= settings.smtp_port === 465;
  const events = applyEventsSecretsInput(provider, {}, { webhook_signing_key, sns_topic_arn });
  const errors = [...connectionFieldErrors(provider, { api_key, secret, ...settings }), ...events.errors];
  if (errors.length > 0) throw AppError.validation(errors);
  let webhookCredentials: BasicCredentials | undefined;
  if (provider === "postmark") {
    const generated = generateBasicCredentials();
    webhookCredentials = generated.credentials;
    Object.assign(events.secrets, generated.stored);
  }
  await checkOutboundTargets(provider, settings);

  const credentials = { ...(api_key !== undefined ? { api_key } : {}), ...(secret !== undefined ? { secret } : {}) };
  const id = randomUUID();
  const db = await getDb();
  const row = await db.providerConnection.create({
    data: {
      id,
      tenantId,
      provider,
      displayName: display_name ?? DEFAULT_NAMES[provider],
      priority,
      weight,
      enabled,
      credentialsEncrypted: sealCredentials(id, credentials),
      credentialsHint: credentialsHint(credentials),
      settings,
      eventsSecretsEncrypted: sealEventsSecrets(id, events.secrets),
    },
  });
  return { ...(await verifyAndStore(row)), webhookCredentials };
}
