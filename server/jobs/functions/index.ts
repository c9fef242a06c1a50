/** Every Inngest function the app serves: the serve handler (and so Inngest Cloud or the local engine) learns them from here. */
import type { InngestFunction } from "inngest";
import { deliverWebhook } from "./deliver-webhook";
import { dispatchStaleWebhooks } from "./dispatch-stale-webhooks";
import { pruneJobRuns } from "./prune-job-runs";
import { recoverQueuedEmails } from "./recover-queued-emails";
import { sendEmail } from "./send-email";

export const functions: InngestFunction.Any[] = [sendEmail, recoverQueuedEmails, pruneJobRuns, deliverWebhook, dispatchStaleWebhooks];
