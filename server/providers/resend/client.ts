import { Resend } from "resend";
import { ClientCache } from "../shared/client-cache";
import type { ProviderConnectionConfig } from "../types";

const DEFAULT_BASE_URL = "https://api.resend.com";

const cache = new ClientCache<Resend>({ maxEntries: 500 });

/**
 * The base URL is always passed explicitly: left out, the SDK reads RESEND_BASE_URL from the server's
 * environment. (Likewise an empty key would fall back to RESEND_API_KEY; the adapter refuses it first.)
 */
export function getResendClient(connection: ProviderConnectionConfig): Resend {
  return cache.get(connection, "", () => new Resend(connection.credentials.apiKey, { baseUrl: baseUrlFor(connection) }));
}

export function clearResendClients(): void {
  cache.clear();
}

function baseUrlFor(connection: ProviderConnectionConfig): string {
  // The SDK concatenates `${baseUrl}${path}`, so no trailing slash.
  return (connection.settings.endpoint || DEFAULT_BASE_URL).replace(/\/+$/, "");
}
