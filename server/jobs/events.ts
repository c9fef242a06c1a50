/** Event names and payloads: the one place both the senders and the functions take them from. */
export const EMAIL_QUEUED = "app/email.queued";

export interface EmailQueuedData {
  tenant_id: string;
  email_id: string;
}

/** The event id makes re-sending safe: Inngest (and the local engine) drop a second event with the same id. */
export function emailQueuedEvent(tenantId: string, emailId: string) {
  return { id: `email-queued-${emailId}`, name: EMAIL_QUEUED, data: { tenant_id: tenantId, email_id: emailId } satisfies EmailQueuedData };
}
