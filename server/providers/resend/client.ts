import { Resend } from "resend";
import { ClientCache } from "../shared/client-cache";
import { guardedDispatcher, guardOf, type FetchDispatcher } from "../shared/outbound";
import type { ProviderConnectionConfig } from "../types";

const DEFAULT_BASE_URL = "https://api.resend.com";

export interface ResendClient {
  resend: Resend;
  /** Passed with every call (the SDK spreads request options into its global fetch call). */
  dispatcher: FetchDispatcher;
}

const cache = new ClientCache<ResendClient>({ maxEntries: 500, dispose: (entry) => void entry.dispatcher.close().catch(() => undefined) });

/**
 * The base URL is always passed explicitly: left out, the SDK reads RESEND_BASE_URL from the server's
 * environment. (Likewise an empty key would fall back to RESEND_API_KEY; the adapter refuses it first.)
 */
export function getResendClient(connection: ProviderConnectionConfig): ResendClient {
  return cache.get(connection, "", () => ({
    resend: new Resend(connection.credentials.apiKey, { baseUrl: resendBaseUrl(connection) }),
    dispatcher: guardedDispatcher(guardOf(connection)),
  }));
}

export function clearResendClients(): void {
  cache.clear();
}

export function resendBaseUrl(connection: ProviderConnectionConfig): string {
  // The SDK concatenates `${baseUrl}${path}`, so no trailing slash.
  return (connection.settings.endpoint || DEFAULT_BASE_URL).replace(/\/+$/, "");
}
