/** `npm run worker`: the local job engine alone (see server/jobs/worker.ts). */
import { logger } from "../server/lib/logger";
import { runWorker } from "../server/jobs/worker";

runWorker().then(
  () => process.exit(0),
  (error: unknown) => {
    logger.error("worker failed", { error });
    process.exit(1);
  },
);
