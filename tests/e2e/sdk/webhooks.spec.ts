/**
 * webhookEndpoints.* and webhooks.verify against real deliveries: an endpoint created through the SDK at
 * a local receiver, a sandbox email whose `delivered` event the app delivers signed, verified by the SDK
 * with the endpoint's secret (a tampered body and a wrong secret refused); then a secret rotation, a
 * test event signed with both secrets, the delivery log and a replay with the same webhook-id.
 */
import { WebhookVerificationError, verifyWebhook } from "@courierx/node";
import { expect, test } from "../support/fixtures";
import { startReceiver, type Receiver } from "../support/webhook-receiver";
import { eventually, tenantClients } from "./clients";

test.describe("@courierx/node webhooks", () => {
  let receiver: Receiver | undefined;
  test.afterEach(async () => {
    await receiver?.close();
    receiver = undefined;
  });

  test("a real delivery verifies; a tampered body or another secret does not", async ({ baseURL, clientAddress, seedTenant }) => {
    const { owner, sandbox } = await tenantClients(await seedTenant({ signIn: false }), baseURL!, clientAddress);
    receiver = await startReceiver();
    const endpoint = await owner.webhookEndpoints.create({ url: `${receiver.url}/hooks/email`, description: "Email delivery events", events: ["delivered"] });
    expect(endpoint).toMatchObject({ url: `${receiver.url}/hooks/email`, events: ["delivered"], active: true });
    expect(endpoint.secret).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);

    const { email } = await sandbox.emails.send({ from: "hello@yourapp.com", to: "delivered@sandbox.courierx.dev", subject: "Webhook me", html: "<p>hi</p>", metadata: { user_id: "usr_123" } });
    const [request] = await receiver.waitFor(1);
    const event = owner.webhooks.verify(request!.body, request!.headers, endpoint.secret);
    expect(event).toMatchObject({ event: "delivered", email_id: email.id, recipient: "delivered@sandbox.courierx.dev", test: true, metadata: { user_id: "usr_123" } });
    // The same check as a function, with the raw bytes.
    expect(verifyWebhook(Buffer.from(request!.body), request!.headers, endpoint.secret).email_id).toBe(email.id);

    expect(() => owner.webhooks.verify(request!.body.replace("usr_123", "usr_666"), request!.headers, endpoint.secret)).toThrow(WebhookVerificationError);
    const other = await owner.webhookEndpoints.create({ url: `${receiver.url}/other` });
    expect(() => owner.webhooks.verify(request!.body, request!.headers, other.secret)).toThrow("No matching signature found");
    // A replay of the captured request long after: outside the 5-minute tolerance.
    expect(() => owner.webhooks.verify(request!.body, request!.headers, endpoint.secret, { now: new Date(Date.now() + 10 * 60_000) })).toThrow("Message timestamp too old");
  });

  test("every endpoint method; a rotated secret signs beside the new one; replay keeps the webhook-id", async ({ baseURL, clientAddress, seedTenant }) => {
    const { owner } = await tenantClients(await seedTenant({ signIn: false }), baseURL!, clientAddress);
    receiver = await startReceiver();
    const endpoint = await owner.webhookEndpoints.create({ url: receiver.url, events: [] });
    expect((await owner.webhookEndpoints.list()).data.map((e) => e.id)).toEqual([endpoint.id]);
    const fetched = await owner.webhookEndpoints.get(endpoint.id);
    expect(fetched).toMatchObject({ id: endpoint.id, url: receiver.url });
    expect("secret" in fetched).toBe(false);
    expect(await owner.webhookEndpoints.update(endpoint.id, { description: "All events", events: ["delivered", "bounced"] })).toMatchObject({ description: "All events", events: ["delivered", "bounced"] });

    const rotated = await owner.webhookEndpoints.rotateSecret(endpoint.id);
    expect(rotated.secret).not.toBe(endpoint.secret);
    expect(Date.parse(rotated.previous_secret_expires_at)).toBeGreaterThan(Date.now() + 23 * 3_600_000);

    const delivery = await owner.webhookEndpoints.test(endpoint.id);
    expect(delivery).toMatchObject({ endpoint_id: endpoint.id, status: "pending" });
    const [request] = await receiver.waitFor(1);
    expect(request!.headers["webhook-signature"]!.split(" ")).toHaveLength(2);
    for (const secret of [rotated.secret, endpoint.secret]) expect(owner.webhooks.verify(request!.body, request!.headers, secret).test).toBe(true);
    expect(owner.webhooks.verify(request!.body, request!.headers, [rotated.secret, endpoint.secret]).test).toBe(true);

    const log = await eventually(
      () => owner.webhookEndpoints.listDeliveries(endpoint.id, { status: "succeeded" }),
      (page) => page.data.length === 1,
    );
    expect(log.data[0]).toMatchObject({ id: delivery.id, status: "succeeded", response_code: 200, attempt_count: 1 });
    expect(log.data[0]!.attempts).toHaveLength(1);

    const replay = await owner.webhookEndpoints.replay(endpoint.id, delivery.id);
    expect(replay).toMatchObject({ replay_of_id: delivery.id, message_id: delivery.message_id });
    const [, again] = await receiver.waitFor(2);
    expect(again!.headers["webhook-id"]).toBe(request!.headers["webhook-id"]);
    expect(owner.webhooks.verify(again!.body, again!.headers, rotated.secret).test).toBe(true);
    const all: string[] = [];
    for await (const d of owner.webhookEndpoints.listAllDeliveries(endpoint.id, { perPage: 1 })) all.push(d.id);
    expect(all.sort()).toEqual([delivery.id, replay.id].sort());

    await owner.webhookEndpoints.delete(endpoint.id);
    await expect(owner.webhookEndpoints.get(endpoint.id)).rejects.toMatchObject({ status: 404 });
  });
});
