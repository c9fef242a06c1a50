/** Start-up of the app process: validate secrets, open (and in embedded mode migrate) the database. */
import { getDatabase } from "./db";
import { getSecrets, mode } from "./env";
import { logger } from "./lib/logger";

export async function startServer(): Promise<void> {
  try {
    getSecrets();
    const db = await getDatabase();
    logger.info("courierx ready", { mode, database: db.kind });
  } catch (error) {
    logger.error("start-up failed", { error });
    // A server that cannot reach its database or lacks its secrets must not pretend to run.
    process.exit(1);
  }
}
