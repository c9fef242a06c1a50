/**
 * The SDK as the e2e specs use it: `@courierx/node` as built (sdk/node/dist, see build-sdk.ts), pointed at
 * the app global-setup.ts started. Every request carries the test's X-Forwarded-For (the app trusts one
 * proxy), so the per-address register/login limit counts per test, as for the fixtures' own requests.
 */
import { CourierX, type CourierXOptions, type CreateProviderConnectionParams } from "@courierx/node";
import { connectionBody } from "../../helpers/connections";
import type { Emulators } from "../../emulators";
import type { ProviderName } from "@/server/providers/types";
import type { SeededTenant } from "../support/fixtures";

export function sdk(baseUrl: string, clientAddress: string, options: CourierXOptions = {}): CourierX {
  const fetchVia = options.fetch ?? fetch;
  return new CourierX({
    baseUrl,
    ...options,
    fetch: (input, init) => fetchVia(input, { ...init, headers: { ...(init.headers as Record<string, string>), "x-forwarded-for": clientAddress } }),
  });
}

export interface TenantClients {
  /** Signed in with the owner's REST session token (configuration). */
  owner: CourierX;
  /** A live API key's client, and the key. */
  live: CourierX;
  liveKey: string;
  /** A test key's client: sends end at the sandbox. */
  sandbox: CourierX;
}

export async function tenantClients(tenant: SeededTenant, baseUrl: string, clientAddress: string): Promise<TenantClients> {
  const owner = sdk(baseUrl, clientAddress, { apiKey: tenant.token });
  const [live, test] = await Promise.all([owner.apiKeys.create({ name: "e2e live" }), owner.apiKeys.create({ name: "e2e sandbox", mode: "test" })]);
  return { owner, live: sdk(baseUrl, clientAddress, { apiKey: live.key }), liveKey: live.key, sandbox: sdk(baseUrl, clientAddress, { apiKey: test.key }) };
}

/** connectionBody (the REST body reaching the worker's emulator) in the SDK's camelCase. */
export function emulatorConnection(emulators: Emulators, provider: ProviderName, extra: Record<string, unknown> = {}): CreateProviderConnectionParams {
  const body = connectionBody(emulators, provider, extra);
  return Object.fromEntries(Object.entries(body).map(([k, v]) => [k.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase()), v])) as unknown as CreateProviderConnectionParams;
}

/** Polls `read` until `done` holds (the app's durable steps run after the API answered). */
export async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms; last value: ${JSON.stringify(value).slice(0, 500)}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
