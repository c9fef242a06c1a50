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
  // Written only over the secrets it read: a PATCH of the signing settings (or another rotation) racing this
  // one makes it read again rather than overwrite what the other wrote.
  for (let current = existing, tries = 0; tries < 5; tries++) {
    const { count } = await db.providerConnection.updateMany({
      where: { id: current.id, tenantId, eventsSecretsEncrypted: current.eventsSecretsEncrypted },
      data: { eventsSecretsEncrypted: sealEventsSecrets(current.id, { ...openEventsSecrets(current), ...stored }) },
    });
    if (count === 1) return { row: await getProviderConnectionOrThrow(tenantId, id), webhookCredentials: credentials };
    current = await getProviderConnectionOrThrow(tenantId, id);
  }
  throw new AppError("conflict", "The connection's webhook settings are changing; try again");
}
