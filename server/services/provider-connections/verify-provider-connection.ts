import { getProviderConnectionOrThrow } from "./get-provider-connection";
import { checkOutboundTargets } from "./check-outbound";
import type { StoredSettings } from "./connection-secrets";
import { verifyAndStore } from "./verify-credentials";

export async function verifyProviderConnection(tenantId: string, id: string) {
  const row = await getProviderConnectionOrThrow(tenantId, id);
  await checkOutboundTargets(row.provider, row.settings as StoredSettings);
  return verifyAndStore(row);
}
