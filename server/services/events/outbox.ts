/**
 * The outgoing-webhook outbox. A delivery row (WebhookDelivery, status pending, dispatchedAt null) is
 * written by the same statement as the event it carries; then its durable run is requested through the
 * dispatcher the jobs layer registers (services do not import the Inngest client). A request that is lost
 * (crash between the write and the emit, engine away) is made again by the outbox sweep, so no delivery
 * depends on this call succeeding.
 */
import { logger } from "../../lib/logger";

export interface DeliveryRef {
  tenantId: string;
  deliveryId: string;
  endpointId: string;
}

type Dispatcher = (deliveries: DeliveryRef[]) => Promise<void>;

let dispatcher: Dispatcher | null = null;

/** Called once by the jobs layer (server/jobs/client.ts) in every process that can record events. */
export function setDeliveryDispatcher(fn: Dispatcher): void {
  dispatcher = fn;
}

/** Requests the runs of new deliveries. Never throws: a failure leaves them to the outbox sweep. */
export async function dispatchDeliveries(deliveries: DeliveryRef[]): Promise<void> {
  if (deliveries.length === 0) return;
  if (!dispatcher) {
    logger.warn("webhook deliveries recorded with no dispatcher registered; the outbox sweep will send them", { count: deliveries.length });
    return;
  }
  try {
    await dispatcher(deliveries);
  } catch (error) {
    logger.warn("webhook delivery dispatch failed; the outbox sweep will retry", { count: deliveries.length, error });
  }
}
