/**
 * The process-wide local engine, kept on globalThis like the database: Next.js instrumentation, route
 * handlers (whose `inngest.send` lands here) and dev-mode reloads must share one engine and one loop.
 */
import { getDatabase } from "../../db";
import { env, inngestCloud } from "../../env";
import { takeForegroundPeak } from "../../lib/foreground";
import { logger } from "../../lib/logger";
import { inngest } from "../client";
import { functions } from "../functions";
import { inngestEndpoint } from "../serve";
import { createLocalEngine, type LocalEngine } from "./engine";

const globalForEngine = globalThis as unknown as { courierxLocalEngine?: LocalEngine };

/** `app`: the Next.js process (LOCAL_ENGINE=off leaves the loop to a worker); `worker`: `npm run worker`. */
export type LocalEngineRole = "app" | "worker";

/** Whether this process should run the engine's loop. Sending events works either way (runs are stored). */
export function localEngineEnabled(role: LocalEngineRole): boolean {
  if (inngestCloud) return false;
  return role === "worker" || env.LOCAL_ENGINE !== "off";
}

/**
 * The engine for the app's functions, created on first use but not started: a process that only sends
 * (the web process beside a worker) still stores runs, and the worker's loop picks them up.
 */
export function getLocalEngine(): LocalEngine {
  if (inngestCloud) throw new Error("Inngest Cloud is configured (INNGEST_EVENT_KEY and INNGEST_SIGNING_KEY); the local engine is off");
  globalForEngine.courierxLocalEngine ??= createLocalEngine({
    client: inngest,
    functions,
    endpoint: inngestEndpoint,
    leaseMs: env.JOB_LEASE_MS,
    maxInfraFailures: env.JOB_MAX_INFRA_FAILURES,
    signals: databaseSignals,
    // The API's requests in this process: a saturated web process answers a burst before delivering it.
    foreground: takeForegroundPeak,
  });
  return globalForEngine.courierxLocalEngine;
}

/** The process database's LISTEN/NOTIFY, where it has one (PostgreSQL). */
const databaseSignals = {
  notify: async (channel: string) => (await getDatabase()).signals?.notify(channel),
  listen: async (channel: string, onSignal: () => void) => {
    const signals = (await getDatabase()).signals;
    return signals ? signals.listen(channel, onSignal) : async () => undefined;
  },
};

/** Tests and tools install their own engine (e.g. with test functions); `undefined` restores the default. */
export function setLocalEngine(engine: LocalEngine | undefined): void {
  globalForEngine.courierxLocalEngine = engine;
}

/**
 * Starts the loop unless Inngest Cloud is configured or (for the app) LOCAL_ENGINE=off. Opens the
 * database first, so a broken configuration fails here. Returns the engine, or undefined when off.
 */
export async function startLocalEngine(options: { role?: LocalEngineRole } = {}): Promise<LocalEngine | undefined> {
  const role = options.role ?? "app";
  if (!localEngineEnabled(role)) {
    logger.info("local job engine not started here", { role, reason: inngestCloud ? "Inngest Cloud is configured" : "LOCAL_ENGINE=off" });
    return undefined;
  }
  const database = await getDatabase();
  const engine = getLocalEngine();
  // Only one process can open a PGlite directory, so every lease found in it belongs to a dead process.
  await engine.start({ exclusive: database.kind === "pglite" });
  logger.info("local job engine started", { role, workerId: engine.workerId, database: database.kind });
  return engine;
}

/** Graceful stop of the process engine, if one was created. */
export async function stopLocalEngine(options: { timeoutMs?: number } = {}): Promise<void> {
  await globalForEngine.courierxLocalEngine?.stop(options);
}
