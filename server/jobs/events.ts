/** Event names and payloads: the one place both the senders and the functions take them from. */
export const EMAIL_QUEUED = "app/email.queued";

export interface EmailQueuedData {
  tenant_id: string;
  email_id: string;
  /** send-email's idempotency key: the email id, or a recovery key for an email whose run stopped mid-send. */
  run_key: string;
  /** ISO time before which nothing is attempted (the email's scheduled_at): the run sleeps until then. */
  scheduled_at?: string;
}

/**
 * The event id makes re-sending safe: Inngest (and the local engine) drop a second event with the same id.
 * A scheduled email's event carries its time, also when the recovery sweep emits it again.
 */
export function emailQueuedEvent(tenantId: string, emailId: string, scheduledAt?: Date | string | null) {
  const at = scheduledAt ? new Date(scheduledAt).toISOString() : undefined;
  const data: EmailQueuedData = { tenant_id: tenantId, email_id: emailId, run_key: emailId, ...(at ? { scheduled_at: at } : {}) };
  return { id: `email-queued-${emailId}`, name: EMAIL_QUEUED, data };
}

/**
 * A new run for an email left mid-send by a run that is gone (its attempt lease lapsed long ago). One per
 * attempt count: a second sweep over the same stuck email starts nothing new, and a later episode does.
 */
export function emailRecoveryEvent(tenantId: string, emailId: string, attempts: number) {
  const runKey = `${emailId}:recover:${attempts}`;
  return { id: `email-recover-${runKey}`, name: EMAIL_QUEUED, data: { tenant_id: tenantId, email_id: emailId, run_key: runKey } satisfies EmailQueuedData };
}

export const WEBHOOK_DELIVERY_REQUESTED = "app/webhook.delivery-requested";

export interface WebhookDeliveryRequestedData {
  tenant_id: string;
  endpoint_id: string;
  delivery_id: string;
}

/** One durable run per delivery row: the event id (and the function's idempotency key) make re-requests safe. */
export function webhookDeliveryEvent(tenantId: string, endpointId: string, deliveryId: string) {
  return {
    id: `webhook-delivery-${deliveryId}`,
    name: WEBHOOK_DELIVERY_REQUESTED,
    data: { tenant_id: tenantId, endpoint_id: endpointId, delivery_id: deliveryId } satisfies WebhookDeliveryRequestedData,
  };
}
