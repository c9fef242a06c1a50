import { getDb } from "../../db";
import { AppError } from "../../lib/errors";
import { generateBasicCredentials, openEventsSecrets, sealEventsSecrets } from "./events-secrets";
import { getProviderConnectionOrThrow } from "./get-provider-connection";

/**
 * Postmark only: new HTTP Basic credentials for the event webhook (the old ones stop working at once), to
 * paste into Postmark as the new webhook URL. The password is returned here and never again.
 */
export async function rotateWebhookCredentials(tenantId: string, id: string) {
  const existing = await getProviderConnectionOrThrow(tenantId, id);
  if (existing.provider !== "postmark") {
    throw AppError.validation(`Only postmark connections have generated webhook credentials, not ${existing.provider}`);
  }
  const { credentials, stored } = generateBasicCredentials();
  const db = await getDb();
  const row = await db.providerConnection.update({
    where: { id: existing.id, tenantId },
    data: { eventsSecretsEncrypted: sealEventsSecrets(existing.id, { ...openEventsSecrets(existing), ...stored }) },
  });
  return { row, webhookCredentials: credentials };
}
