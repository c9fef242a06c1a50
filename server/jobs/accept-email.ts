/**
 * The door from the send API into durable sending: store the email (queued), then emit its event. If the
 * emit fails (Inngest unreachable), the email is still accepted: the recovery sweep re-emits events for
 * emails left queued, and the event id makes a second emit harmless.
 */
import { logger } from "../lib/logger";
import type { Principal } from "../services/auth/authenticate-request";
import { queueEmail, type QueuedEmail } from "../services/emails/queue-email";
import type { SendEmailInput } from "../services/emails/schemas";
import { inngest } from "./client";
import { emailQueuedEvent } from "./events";

export async function acceptEmail(tenantId: string, principal: Principal, input: SendEmailInput): Promise<QueuedEmail> {
  const queued = await queueEmail(tenantId, principal, input);
  if (!queued.replayed) await dispatchQueuedEmails(tenantId, [queued.email.id]);
  return queued;
}

export async function dispatchQueuedEmails(tenantId: string, emailIds: string[]): Promise<void> {
  if (emailIds.length === 0) return;
  try {
    await inngest.send(emailIds.map((id) => emailQueuedEvent(tenantId, id)));
  } catch (error) {
    logger.error("could not emit email events; the recovery sweep will emit them again", { tenantId, emailIds, error: error instanceof Error ? error.message : String(error) });
  }
}
