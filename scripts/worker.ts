/** `npm run worker`: the local job engine alone (see server/jobs/worker.ts). */
import { pinProcessEnv } from "../server/env";
import { logger } from "../server/lib/logger";
import { runWorker } from "../server/jobs/worker";

pinProcessEnv();

runWorker().then(
  () => process.exit(0),
  (error: unknown) => {
    logger.error("worker failed", { error });
    process.exit(1);
  },
);
