import { describe, expect, it } from "vitest";
import { getDb } from "@/server/db";
import { uuidv7 } from "@/server/lib/ids";
import { unsafePruneEventLogs } from "@/server/services/events/prune-event-logs";
import { generateWebhookSecret, sealWebhookSecret } from "@/server/services/webhooks/webhook-secret";
import { signUp } from "../../helpers/api";

const DAY = 86_400_000;

describe("retention of webhook deliveries and replay tokens", () => {
  it("deletes finished deliveries past the retention with their attempts, never pending ones, and expired tokens", async () => {
    const { tenantId } = await signUp();
    const db = await getDb();
    const endpointId = uuidv7();
    await db.webhookEndpoint.create({ data: { id: endpointId, tenantId, url: "http://127.0.0.1:9/hook", events: [], secretEncrypted: sealWebhookSecret(endpointId, generateWebhookSecret()) } });
    const delivery = async (status: "pending" | "succeeded" | "failed", ageDays: number) => {
      const row = await db.webhookDelivery.create({
        data: { tenantId, endpointId, eventType: "sent", messageId: `msg_${uuidv7()}`, payload: {}, status, createdAt: new Date(Date.now() - ageDays * DAY) },
      });
      await db.webhookDeliveryAttempt.create({ data: { tenantId, deliveryId: row.id, attempt: 1, statusCode: 500, durationMs: 3 } });
      return row.id;
    };
    const oldSucceeded = await delivery("succeeded", 40);
    const oldFailed = await delivery("failed", 31);
    const oldPending = await delivery("pending", 45);
    const recent = await delivery("succeeded", 2);
    await db.seenWebhookToken.createMany({ data: [{ key: `test:${uuidv7()}:expired`, expiresAt: new Date(Date.now() - 1000) }, { key: `test:${uuidv7()}:live`, expiresAt: new Date(Date.now() + 60_000) }] });

    const result = await unsafePruneEventLogs({ olderThanMs: 30 * DAY });
    expect(result.deliveries).toBeGreaterThanOrEqual(2);
    const left = (await db.webhookDelivery.findMany({ where: { endpointId }, select: { id: true } })).map((d) => d.id).sort();
    expect(left).toEqual([oldPending, recent].sort());
    expect(await db.webhookDeliveryAttempt.count({ where: { deliveryId: { in: [oldSucceeded, oldFailed] } } })).toBe(0);
    expect(await db.webhookDeliveryAttempt.count({ where: { deliveryId: { in: [oldPending, recent] } } })).toBe(2);
    expect(await db.seenWebhookToken.count({ where: { key: { endsWith: ":expired" }, expiresAt: { lt: new Date() } } })).toBe(0);
    expect(await db.seenWebhookToken.count({ where: { key: { endsWith: ":live" } } })).toBeGreaterThanOrEqual(1);
  });
});
