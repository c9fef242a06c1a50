/**
 * The real sending stack for integration tests: provider emulators, the app's own local engine driving the
 * app's functions through the SDK's serve handler, and short retry timings so failover shows in seconds.
 */
import { env } from "@/server/env";
import { setLocalEngine, startLocalEngine, stopLocalEngine, type LocalEngine } from "@/server/jobs/engine";
import { closeProviderClients } from "@/server/providers";
import { startEmulators, type Emulators } from "../emulators";
import { api } from "./api";
import { connectionBody } from "./connections";
import type { ProviderName } from "@/server/providers/types";

export interface SendingStack {
  emulators: Emulators;
  engine: LocalEngine;
  stop(): Promise<void>;
}

export const TEST_TIMINGS = {
  SEND_RETRY_DELAYS: "300ms,600ms",
  PROVIDER_TIMEOUT_MS: 500,
  SLOW_PROVIDER_MS: 10_000,
  CIRCUIT_FAILURE_THRESHOLD: 3,
  CIRCUIT_COOLDOWN_MS: 60_000,
};

export async function startSendingStack(): Promise<SendingStack> {
  Object.assign(env, TEST_TIMINGS);
  const emulators = await startEmulators();
  const engine = await startLocalEngine({ role: "worker" });
  if (!engine) throw new Error("local engine did not start");
  return {
    emulators,
    engine,
    async stop() {
      await stopLocalEngine({ timeoutMs: 5000 });
      setLocalEngine(undefined);
      closeProviderClients();
      await emulators.stop();
    },
  };
}

export const FINAL = ["sent", "failed", "suppressed", "delivered", "bounced"];

/**
 * Polls the public API until the email reaches a final status; returns its detail with the timeline.
 * Polls every 25 ms for the first two seconds, then every 200 ms, and honours a 429's Retry-After the way a
 * client should: a long wait would otherwise spend the key's per-minute limit (reads count) and end in 429s.
 */
export async function waitForFinal(token: string, id: string, timeoutMs = 20_000): Promise<any> {
  const started = Date.now();
  const deadline = started + timeoutMs;
  for (;;) {
    const res = await api.get(`/api/v1/emails/${id}`, { token });
    if (FINAL.includes(res.body?.status)) return res.body;
    const now = Date.now();
    if (now > deadline) {
      throw new Error(`email ${id} still ${res.body?.status ?? `unread (HTTP ${res.status})`} after ${timeoutMs} ms: ${JSON.stringify(res.body?.events ?? res.body)}`);
    }
    const retryAfterMs = res.status === 429 ? Number(res.headers.get("retry-after") ?? 1) * 1000 : 0;
    const pause = Math.max(retryAfterMs, now - started < 2_000 ? 25 : 200);
    await new Promise((r) => setTimeout(r, Math.min(pause, Math.max(25, deadline - now))));
  }
}

export async function connect(token: string, emulators: Emulators, provider: ProviderName, extra: Record<string, unknown> = {}): Promise<string> {
  const res = await api.post("/api/v1/provider_connections", connectionBody(emulators, provider, extra), { token });
  if (res.status !== 201) throw new Error(`connect ${provider} failed: ${res.status} ${res.text}`);
  return res.body.id;
}

let counter = 0;
export function emailBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  counter += 1;
  return {
    from_email: "hello@yourapp.com",
    from_name: "Your App",
    to_email: `user${counter}@example.com`,
    to_name: "Alice",
    subject: `Welcome ${counter}`,
    html_body: "<h1>Welcome!</h1>",
    text_body: "Welcome!",
    tags: ["welcome"],
    ...overrides,
  };
}
