import { getDb } from "../../db";

/** How far back an earlier event of the same email is looked for (events of one email are recorded close together). */
const ORDER_WINDOW_MS = 60 * 60 * 1000;

export type StartVerdict = "go" | "wait" | "stop";

/**
 * The first step of a delivery's run: notes that its run started (dispatchedAt, which the outbox sweep
 * looks at), and keeps one email's events in order at the endpoint. While an earlier event of the same
 * email to the same endpoint is still waiting for its first attempt to finish, this one waits (the run
 * sleeps, holding no concurrency slot) — briefly: the caller stops waiting after a bound, so a stuck
 * earlier delivery delays the next by seconds at most. Once the earlier one was attempted (delivered, or
 * failed and retrying) this one goes. Replays and test events never wait.
 */
export async function startWebhookDelivery(tenantId: string, deliveryId: string): Promise<StartVerdict> {
  const db = await getDb();
  await db.webhookDelivery.updateMany({ where: { id: deliveryId, tenantId, dispatchedAt: null }, data: { dispatchedAt: new Date() } });
  const delivery = await db.webhookDelivery.findFirst({ where: { id: deliveryId, tenantId } });
  if (!delivery || delivery.status !== "pending") return "stop";
  const sequence = (delivery.payload as { sequence?: unknown } | null)?.sequence;
  if (!delivery.emailId || delivery.replayOfId || typeof sequence !== "number") return "go";
  const earlier = await db.webhookDelivery.findFirst({
    where: {
      tenantId,
      endpointId: delivery.endpointId,
      createdAt: { gte: new Date(delivery.createdAt.getTime() - ORDER_WINDOW_MS), lte: delivery.createdAt },
      emailId: delivery.emailId,
      status: "pending",
      attempts: 0,
      replayOfId: null,
      id: { not: delivery.id },
      payload: { path: ["sequence"], lt: sequence },
    },
    select: { id: true },
  });
  return earlier ? "wait" : "go";
}
