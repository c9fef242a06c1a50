/**
 * A local engine over test-only functions: its own Inngest client (local mode, the test signing key)
 * whose sends reach this engine, fast backoff and polling. The database is the test file's (getDb()).
 */
import { Inngest, type InngestFunction, type Logger } from "inngest";
import { getSecrets } from "@/server/env";
import { enterForeground } from "@/server/lib/foreground";
import { createLocalEngine, type LocalEngine, type LocalEngineOptions, localClientOptions } from "@/server/jobs/engine";

export interface TestEngine {
  engine: LocalEngine;
  client: Inngest;
}

/** The SDK logs every expected step error at error level; tests assert on runs instead. */
export const quietSdkLogger: Logger = { info() {}, warn() {}, error() {}, debug() {} };

export function createTestClient(receive: (events: unknown[]) => Promise<string[]>, id = "engine-test"): Inngest {
  const options = localClientOptions({ id, signingKey: () => getSecrets().localSigningKey, receive });
  options.logger = quietSdkLogger;
  return new Inngest(options);
}

export function createTestEngine<const T extends InngestFunction.Any[]>(
  define: (client: Inngest) => T,
  options: Partial<Omit<LocalEngineOptions, "client" | "functions">> = {},
): TestEngine {
  // The client's sends go to the engine, which needs the client's functions: tie the knot through a ref.
  const ref: { engine?: LocalEngine } = {};
  const client = createTestClient(async (events) => {
    if (!ref.engine) throw new Error("engine not created yet");
    return (await ref.engine.enqueue(events)).ids;
  });
  const engine = createLocalEngine({ client, functions: define(client), backoff: () => 20, pollIntervalMs: 50, ...options });
  ref.engine = engine;
  return { engine, client };
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Polls until `check` returns a value (not undefined/false) or the timeout passes. */
export async function eventually<T>(check: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await sleep(20);
  }
}

/** Keeps this thread's event loop busy (40 ms spins, a turn of the loop between them) until `stop()`. */
export function saturateEventLoop(): { done: Promise<void>; stop(): void } {
  let running = true;
  const done = (async () => {
    while (running) {
      const until = performance.now() + 40;
      while (performance.now() < until) {
        // busy
      }
      await new Promise((resolve) => setImmediate(resolve));
    }
  })();
  return {
    done,
    stop: () => {
      running = false;
    },
  };
}

/** Counts `work` as a foreground request in flight (what the REST wrapper does for a parsed request) until it settles. */
export async function asForeground<T>(work: () => Promise<T>): Promise<T> {
  const leave = enterForeground();
  try {
    return await work();
  } finally {
    leave();
  }
}
