import { HttpClient, type FetchLike } from "./http.js";
import { Analytics } from "./resources/analytics.js";
import { ApiKeys } from "./resources/api-keys.js";
import { Auth } from "./resources/auth.js";
import { Domains } from "./resources/domains.js";
import { Emails } from "./resources/emails.js";
import { ProviderConnections } from "./resources/provider-connections.js";
import { RoutingRules } from "./resources/routing-rules.js";
import { Suppressions } from "./resources/suppressions.js";
import { WebhookEndpoints } from "./resources/webhook-endpoints.js";
import { Webhooks } from "./webhooks.js";

export const DEFAULT_BASE_URL = "https://api.courierx.dev";

export interface CourierXOptions {
  /** An API key (`cxk_live_…`, `cxk_test_…`) or a session token from `auth.login`. Only auth.register/login work without. */
  apiKey?: string;
  /** Default https://api.courierx.dev (paths go under /api/v1). */
  baseUrl?: string;
  /** Default: the global fetch (Node 18+). */
  fetch?: FetchLike;
  /** Retries of a 429, a 5xx or a lost connection, for requests safe to repeat (default 2). */
  maxRetries?: number;
  /** Budget of one attempt, from request to the whole answer (default 30 000 ms). */
  timeoutMs?: number;
}

export class CourierX {
  readonly emails: Emails;
  readonly apiKeys: ApiKeys;
  readonly domains: Domains;
  readonly providerConnections: ProviderConnections;
  readonly webhookEndpoints: WebhookEndpoints;
  readonly suppressions: Suppressions;
  readonly routingRules: RoutingRules;
  readonly analytics: Analytics;
  readonly auth: Auth;
  readonly webhooks = new Webhooks();

  constructor(options: CourierXOptions = {}) {
    const fetchImpl = options.fetch ?? globalThis.fetch;
    if (typeof fetchImpl !== "function") throw new TypeError("CourierX needs fetch: use Node 18 or later, or pass options.fetch");
    const maxRetries = options.maxRetries ?? 2;
    if (!Number.isInteger(maxRetries) || maxRetries < 0) throw new TypeError("maxRetries must be a whole number from 0");
    const http = new HttpClient({
      apiKey: options.apiKey,
      baseUrl: options.baseUrl ?? DEFAULT_BASE_URL,
      // Called unbound: some fetch implementations refuse a `this` other than globalThis.
      fetch: (input, init) => fetchImpl(input, init),
      maxRetries,
      timeoutMs: options.timeoutMs ?? 30_000,
    });
    this.emails = new Emails(http);
    this.apiKeys = new ApiKeys(http);
    this.domains = new Domains(http);
    this.providerConnections = new ProviderConnections(http);
    this.webhookEndpoints = new WebhookEndpoints(http);
    this.suppressions = new Suppressions(http);
    this.routingRules = new RoutingRules(http);
    this.analytics = new Analytics(http);
    this.auth = new Auth(http);
  }
}
