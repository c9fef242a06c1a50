import { ServerClient } from "postmark";
import { ClientCache } from "../shared/client-cache";
import type { ProviderConnectionConfig } from "../types";

const DEFAULT_HOST = "api.postmarkapp.com";

const cache = new ClientCache<ServerClient>({ maxEntries: 500 });

export function getPostmarkClient(connection: ProviderConnectionConfig, timeoutMs: number): ServerClient {
  return cache.get(connection, String(timeoutMs), () => {
    const { useHttps, requestHost } = hostFor(connection);
    // The SDK's timeout is in seconds (fractions work: it multiplies by 1000 for AbortSignal.timeout).
    return new ServerClient(connection.credentials.apiKey, { useHttps, requestHost, timeout: timeoutMs / 1000 });
  });
}

export function clearPostmarkClients(): void {
  cache.clear();
}

/** The SDK builds `scheme://requestHost + path`, so an endpoint's path prefix rides along in requestHost. */
function hostFor(connection: ProviderConnectionConfig): { useHttps: boolean; requestHost: string } {
  const endpoint = connection.settings.endpoint;
  if (!endpoint) return { useHttps: true, requestHost: DEFAULT_HOST };
  const url = new URL(endpoint);
  return { useHttps: url.protocol === "https:", requestHost: `${url.host}${url.pathname.replace(/\/+$/, "")}` };
}
