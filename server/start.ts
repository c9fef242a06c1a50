/**
 * Start-up of the app process: validate secrets, open (and in embedded mode migrate) the database, and
 * start the local job engine unless Inngest Cloud is configured or LOCAL_ENGINE=off.
 */
import { getDatabase } from "./db";
import { getSecrets, mode } from "./env";
import { startLocalEngine } from "./jobs/engine";
import { logger } from "./lib/logger";

export async function startServer(): Promise<void> {
  try {
    getSecrets();
    const db = await getDatabase();
    const engine = await startLocalEngine({ role: "app" });
    logger.info("courierx ready", { mode, database: db.kind, jobs: engine ? "local engine" : "external" });
  } catch (error) {
    logger.error("start-up failed", { error });
    // A server that cannot reach its database or lacks its secrets must not pretend to run.
    process.exit(1);
  }
}
