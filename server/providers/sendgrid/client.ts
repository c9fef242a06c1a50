import { Client } from "@sendgrid/client";
import { MailService } from "@sendgrid/mail";
import { ClientCache } from "../shared/client-cache";
import { guardedAgents, guardOf } from "../shared/outbound";
import type { ProviderConnectionConfig } from "../types";

const DEFAULT_BASE_URL = "https://api.sendgrid.com/";
const EU_BASE_URL = "https://api.eu.sendgrid.com/";

export interface SendgridClients {
  mail: MailService;
  client: Client;
}

const cache = new ClientCache<SendgridClients>({ maxEntries: 500 });

/** Never the module singletons: two tenants' keys must not share one mutable client. */
export function getSendgridClients(connection: ProviderConnectionConfig, timeoutMs: number): SendgridClients {
  return cache.get(connection, String(timeoutMs), () => {
    const client = new Client();
    client.setApiKey(connection.credentials.apiKey);
    // setApiKey resets baseUrl to the global API, so the override must come after it.
    client.setDefaultRequest("baseUrl", baseUrlFor(connection));
    // These go straight into every axios request: sockets through the guard, no redirect ever followed, and
    // no HTTP(S)_PROXY from the environment in between (the guard would be checking the proxy instead).
    const axiosDefaults = { ...guardedAgents(guardOf(connection)), maxRedirects: 0, proxy: false };
    client.setDefaultRequest(axiosDefaults as unknown as Parameters<Client["setDefaultRequest"]>[0]);
    const mail = new MailService();
    mail.setClient(client);
    mail.setTimeout(timeoutMs);
    return { mail, client };
  });
}

export function clearSendgridClients(): void {
  cache.clear();
}

function baseUrlFor(connection: ProviderConnectionConfig): string {
  const { endpoint, region } = connection.settings;
  if (endpoint) return endpoint.endsWith("/") ? endpoint : `${endpoint}/`;
  return region === "eu" ? EU_BASE_URL : DEFAULT_BASE_URL;
}
