import { Prisma, getDb } from "../../db";
import { uuidv7 } from "../../lib/ids";
import { dispatchDeliveries } from "../events/outbox";

export interface NewDelivery {
  tenantId: string;
  endpointId: string;
  eventType: string;
  emailId: string | null;
  messageId: string;
  payload: Prisma.InputJsonObject;
  replayOfId?: string;
}

/**
 * A delivery that no email event wrote (a replay, a test event): the same outbox row the event recorder
 * writes, and its run requested at once (the outbox sweep covers a request that is lost).
 */
export async function createDelivery(d: NewDelivery) {
  const db = await getDb();
  const delivery = await db.webhookDelivery.create({
    data: {
      id: uuidv7(),
      tenantId: d.tenantId,
      endpointId: d.endpointId,
      eventType: d.eventType,
      emailId: d.emailId,
      messageId: d.messageId,
      payload: d.payload,
      replayOfId: d.replayOfId ?? null,
    },
    include: { attemptLog: true },
  });
  await dispatchDeliveries([{ tenantId: d.tenantId, endpointId: d.endpointId, deliveryId: delivery.id }]);
  return delivery;
}
