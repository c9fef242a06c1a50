/**
 * The door from the send API into durable sending. With the local engine, the email, its `queued` event and
 * the job run that delivers it are ONE statement (the run is planned here, stored by queueEmails), and the
 * engine is woken after. With Inngest Cloud: store the email (queued), then emit its event. If the emit fails
 * (Inngest unreachable), the email is still accepted: the recovery sweep re-emits events for emails left
 * queued, and the event id makes a second emit harmless.
 */
import type { Email } from "../db";
import { inngestCloud } from "../env";
import { AppError } from "../lib/errors";
import { logger } from "../lib/logger";
import type { Principal } from "../services/auth/authenticate-request";
import { checkSendTargets, type CheckedSend } from "../services/emails/check-send-targets";
import { queueEmails, type QueueOptions, type QueuedEmail } from "../services/emails/queue-email";
import type { SendEmailInput } from "../services/emails/schemas";
import { inngest } from "./client";
import type { LocalEngine } from "./engine";
import { emailQueuedEvent } from "./events";

/** One send: its routing and override targets checked (a 422 when they are wrong), then stored and emitted. */
export async function acceptEmail(tenantId: string, principal: Principal, input: SendEmailInput, options: QueueOptions): Promise<QueuedEmail> {
  // Routing references are read from the account, and an override's host is resolved: not for a caller
  // whose key the database has not admitted yet. A plain send's checks are pure, and its insert authenticates.
  if (input.routing || input.provider_overrides) await options.auth?.confirm();
  const checked = (await checkSendTargets(tenantId, [input]))[0]!;
  if ("errors" in checked) throw AppError.validation(checked.errors);
  const [queued] = await acceptEmails(tenantId, principal, [checked.send], options);
  return queued!;
}

/**
 * A batch whose items passed checkSendTargets: one statement stores every email, one emit starts all their
 * runs (replays start nothing).
 */
export async function acceptEmails(tenantId: string, principal: Principal, inputs: CheckedSend[], options: QueueOptions): Promise<QueuedEmail[]> {
  const local = await localPlanner();
  const jobRuns = local ? (email: { id: string; scheduledAt: Date | null }) => local.plan(emailQueuedEvent(tenantId, email.id, email.scheduledAt)) : undefined;
  const queued = await queueEmails(tenantId, principal, inputs, { ...options, jobRuns });
  const stored = queued.filter((q) => !q.replayed).map((q) => q.email);
  if (local) {
    if (stored.length > 0) await local.engine.runsStored();
  } else {
    await dispatchQueuedEmails(tenantId, stored);
  }
  return queued;
}

let engineModule: Promise<typeof import("./engine/singleton")> | undefined;

/**
 * The process's local engine and its run planner; undefined under Inngest Cloud, and when the engine cannot
 * plan (its module or function registry failed): then the emit stores the runs, as with Inngest Cloud.
 */
async function localPlanner(): Promise<{ engine: LocalEngine; plan: Awaited<ReturnType<LocalEngine["runPlanner"]>> } | undefined> {
  if (inngestCloud) return undefined;
  try {
    // Imported on first use: the engine imports the functions, which import the client.
    engineModule ??= import("./engine/singleton");
    const engine = (await engineModule).getLocalEngine();
    return { engine, plan: await engine.runPlanner() };
  } catch (error) {
    engineModule = undefined;
    logger.warn("could not plan job runs with the email; emitting events instead", { error: error instanceof Error ? error.message : String(error) });
    return undefined;
  }
}

async function dispatchQueuedEmails(tenantId: string, emails: Pick<Email, "id" | "scheduledAt">[]): Promise<void> {
  if (emails.length === 0) return;
  try {
    await inngest.send(emails.map((email) => emailQueuedEvent(tenantId, email.id, email.scheduledAt)));
  } catch (error) {
    const emailIds = emails.map((email) => email.id);
    logger.error("could not emit email events; the recovery sweep will emit them again", { tenantId, emailIds, error: error instanceof Error ? error.message : String(error) });
  }
}
