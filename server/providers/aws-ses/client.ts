import { SESv2Client } from "@aws-sdk/client-sesv2";
import { ClientCache } from "../shared/client-cache";
import { guardedAgents, guardOf } from "../shared/outbound";
import type { ProviderConnectionConfig } from "../types";

const DEFAULT_REGION = "us-east-1";

const cache = new ClientCache<SESv2Client>({ maxEntries: 500, dispose: (client) => client.destroy() });

export function getSesClient(connection: ProviderConnectionConfig, timeoutMs: number): SESv2Client {
  return cache.get(connection, String(timeoutMs), () => {
    const { endpoint, region } = connection.settings;
    return new SESv2Client({
      region: region || DEFAULT_REGION,
      ...(endpoint ? { endpoint } : {}),
      // Static credentials: the default chain would probe profiles, SSO and IMDS, which hangs offline and
      // could pick up the server's own AWS identity instead of the customer's.
      credentials: { accessKeyId: connection.credentials.apiKey, secretAccessKey: connection.credentials.secret ?? "" },
      // The send path owns retries and failover; the SDK's 3 attempts (with up to 20 s Retry-After sleeps)
      // would hide outages and multiply duplicates.
      maxAttempts: 1,
      // requestTimeout alone only logs a warning; throwOnRequestTimeout makes it abort.
      // Its own agents, whose lookup is the outbound guard (destroy() closes them with the client). The
      // handler follows no redirects.
      requestHandler: { requestTimeout: timeoutMs, connectionTimeout: timeoutMs, throwOnRequestTimeout: true, ...guardedAgents(guardOf(connection)) },
    });
  });
}

export function clearSesClients(): void {
  cache.clear();
}
