/**
 * `npm run worker`: the local engine as its own process, beside a web process started with
 * LOCAL_ENGINE=off (on PostgreSQL: several workers may run; on PGlite only one process may open the data
 * directory, so the web process must not run then). Runs until SIGINT/SIGTERM, then stops gracefully.
 */
import { getDatabase } from "../db";
import { getSecrets, inngestCloud } from "../env";
import { logger } from "../lib/logger";
import { startLocalEngine, stopLocalEngine } from "./engine";

/** Graceful stop: calls in flight get this long to finish before their leases are left to lapse. */
const STOP_TIMEOUT_MS = 30_000;

export async function runWorker(): Promise<void> {
  if (inngestCloud) {
    logger.info("Inngest Cloud is configured: it calls /api/inngest, so there is nothing for a local worker to do");
    return;
  }
  getSecrets();
  const database = await getDatabase();
  // Timers inside the engine do not hold the process open; this does, until a signal arrives.
  const keepAlive = setInterval(() => undefined, 1 << 30);
  try {
    await startLocalEngine({ role: "worker" });
    const signal = await new Promise<NodeJS.Signals>((resolve) => {
      process.once("SIGINT", resolve);
      process.once("SIGTERM", resolve);
    });
    logger.info("worker stopping", { signal });
    await stopLocalEngine({ timeoutMs: STOP_TIMEOUT_MS });
  } finally {
    clearInterval(keepAlive);
    await database.close();
  }
  logger.info("worker stopped");
}
