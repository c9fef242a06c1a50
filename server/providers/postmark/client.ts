import { ServerClient } from "postmark";
import { ClientCache } from "../shared/client-cache";
import { guardedDispatcher, guardedFetch, guardOf, type FetchDispatcher } from "../shared/outbound";
import type { ProviderConnectionConfig } from "../types";

const DEFAULT_HOST = "api.postmarkapp.com";

interface PostmarkEntry {
  client: ServerClient;
  dispatcher: FetchDispatcher;
}

// close() lets requests in flight finish before the dispatcher's sockets go.
const cache = new ClientCache<PostmarkEntry>({ maxEntries: 500, dispose: (entry) => void entry.dispatcher.close().catch(() => undefined) });

export function getPostmarkClient(connection: ProviderConnectionConfig, timeoutMs: number): ServerClient {
  return cache.get(connection, String(timeoutMs), () => {
    const { useHttps, requestHost } = hostFor(connection);
    const dispatcher = guardedDispatcher(guardOf(connection));
    // The SDK's timeout is in seconds (fractions work: it multiplies by 1000 for AbortSignal.timeout). Its
    // `fetch` option is the documented way to choose the dispatcher: sockets through the outbound guard.
    const client = new ServerClient(connection.credentials.apiKey, { useHttps, requestHost, timeout: timeoutMs / 1000, fetch: guardedFetch(dispatcher) });
    return { client, dispatcher };
  }).client;
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
