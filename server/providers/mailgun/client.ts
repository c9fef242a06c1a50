import FormData from "form-data";
import Mailgun from "mailgun.js";
import { ClientCache } from "../shared/client-cache";
import { guardedAgents, guardOf } from "../shared/outbound";
import type { ProviderConnectionConfig } from "../types";
import { GuardedMailgunRequestProvider } from "./guarded-request-provider";

const US_BASE_URL = "https://api.mailgun.net";
const EU_BASE_URL = "https://api.eu.mailgun.net";

export type MailgunClient = ReturnType<Mailgun["client"]>;

const mailgun = new Mailgun(FormData);
const cache = new ClientCache<MailgunClient>({ maxEntries: 500 });

export function getMailgunClient(connection: ProviderConnectionConfig, timeoutMs: number): MailgunClient {
  return cache.get(connection, String(timeoutMs), () => {
    const client = mailgun.client({ username: "api", key: connection.credentials.apiKey, url: baseUrlFor(connection), timeout: timeoutMs });
    client.request.requestProvider = new GuardedMailgunRequestProvider({ key: connection.credentials.apiKey, timeoutMs, agents: guardedAgents(guardOf(connection)) });
    return client;
  });
}

export function clearMailgunClients(): void {
  cache.clear();
}

/** An EU account answers 401 "Forbidden" on the US host, so the region must pick the host. */
function baseUrlFor(connection: ProviderConnectionConfig): string {
  const { endpoint, region } = connection.settings;
  if (endpoint) return endpoint.replace(/\/+$/, "");
  return region?.toLowerCase() === "eu" ? EU_BASE_URL : US_BASE_URL;
}
