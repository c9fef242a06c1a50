/**
 * Our signature, checked by an independent verifier (the `standardwebhooks` npm library) on real
 * deliveries to a local receiver, also across a secret rotation and after the old secret's window.
 */
import { Webhook, WebhookVerificationError } from "standardwebhooks";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { getDb } from "@/server/db";
import { api, signUp } from "../../helpers/api";
import { sleep } from "../../helpers/engine";
import { createEndpoint, Receiver, settledDeliveries, startWebhookEngine, waitForReceived } from "./support";

let receiver: Receiver;
let stack: Awaited<ReturnType<typeof startWebhookEngine>>;
beforeAll(async () => {
  receiver = await Receiver.start();
  stack = await startWebhookEngine();
});
afterAll(async () => {
  await stack.stop();
  await receiver.stop();
});
beforeEach(() => receiver.reset());

function verify(secret: string, received: { body: string; headers: Record<string, unknown> }) {
  return new Webhook(secret).verify(received.body, received.headers as Record<string, string>);
}

describe("Standard Webhooks signatures", () => {
  it("a delivery verifies with the endpoint's secret and carries the documented headers and body", async () => {
    const { apiKey } = await signUp();
    const endpoint = await createEndpoint(apiKey, { url: receiver.url("/courierx?source=test") });
    const before = Math.floor(Date.now() / 1000);
    const sent = await api.post(`/api/v1/webhook_endpoints/${endpoint.id}/test`, undefined, { token: apiKey });
    expect(sent.status).toBe(202);
    const [received] = await waitForReceived(receiver, 1);
    expect(received!.path).toBe("/courierx?source=test");

    const payload = verify(endpoint.secret, received!) as Record<string, unknown>;
    expect(payload).toEqual(received!.json);
    expect(received!.headers["content-type"]).toBe("application/json");
    expect(received!.headers["user-agent"]).toBe("CourierX-Webhooks/1");
    expect(received!.headers["webhook-id"]).toBe(sent.body.message_id);
    expect(sent.body.message_id).toMatch(/^msg_[0-9a-f-]{36}$/);
    const timestamp = Number(received!.headers["webhook-timestamp"]);
    expect(timestamp).toBeGreaterThanOrEqual(before);
    expect(timestamp).toBeLessThanOrEqual(Math.ceil(Date.now() / 1000));
    expect(received!.headers["webhook-signature"]).toMatch(/^v1,[A-Za-z0-9+/]{43}=$/);
    // The seed's fields in the seed's order, plus sequence and test.
    expect(Object.keys(received!.json)).toEqual(["event", "email_id", "recipient", "provider", "timestamp", "metadata", "sequence", "test"]);

    // The verifier is not a rubber stamp: another secret, a changed body or a changed id fail.
    const other = (await createEndpoint(apiKey, { url: receiver.url() })).secret;
    expect(() => verify(other, received!)).toThrow(WebhookVerificationError);
    expect(() => verify(endpoint.secret, { ...received!, body: received!.body.replace('"delivered"', '"bounced"') })).toThrow(WebhookVerificationError);
    expect(() => verify(endpoint.secret, { ...received!, headers: { ...received!.headers, "webhook-id": "msg_other" } })).toThrow(WebhookVerificationError);

    const [delivery] = await settledDeliveries(apiKey, endpoint.id, 1);
    expect(delivery).toMatchObject({ status: "succeeded", attempt_count: 1, response_code: 200 });
  });

  it("across a rotation: both secrets verify for 24 h, then only the new one", async () => {
    const { apiKey } = await signUp();
    const endpoint = await createEndpoint(apiKey, { url: receiver.url() });
    const rotated = await api.post(`/api/v1/webhook_endpoints/${endpoint.id}/rotate_secret`, undefined, { token: apiKey });
    expect(rotated.status).toBe(200);
    const newSecret: string = rotated.body.secret;

    await api.post(`/api/v1/webhook_endpoints/${endpoint.id}/test`, undefined, { token: apiKey });
    const [during] = await waitForReceived(receiver, 1);
    const signatures = String(during!.headers["webhook-signature"]).split(" ");
    expect(signatures).toHaveLength(2);
    expect(signatures.every((s) => /^v1,[A-Za-z0-9+/]{43}=$/.test(s))).toBe(true);
    expect(verify(newSecret, during!)).toEqual(during!.json);
    expect(verify(endpoint.secret, during!)).toEqual(during!.json);

    // A receiver that already switched, or not yet: each of the two signatures alone verifies with its own secret.
    const alone = (signature: string) => ({ ...during!, headers: { ...during!.headers, "webhook-signature": signature } });
    expect(() => verify(newSecret, alone(signatures[0]!))).not.toThrow();
    expect(() => verify(endpoint.secret, alone(signatures[1]!))).not.toThrow();

    // The window closes: only the new secret signs.
    await (await getDb()).webhookEndpoint.update({ where: { id: endpoint.id }, data: { previousSecretExpiresAt: new Date(Date.now() - 1000) } });
    await api.post(`/api/v1/webhook_endpoints/${endpoint.id}/test`, undefined, { token: apiKey });
    const [, after] = await waitForReceived(receiver, 2);
    expect(String(after!.headers["webhook-signature"]).split(" ")).toHaveLength(1);
    expect(verify(newSecret, after!)).toEqual(after!.json);
    expect(() => verify(endpoint.secret, after!)).toThrow(WebhookVerificationError);

    // A second rotation makes the first rotation's secret the previous one; the original is gone.
    const again = await api.post(`/api/v1/webhook_endpoints/${endpoint.id}/rotate_secret`, undefined, { token: apiKey });
    // The original's window had already closed: this rotation cut nothing short.
    expect(again.body.older_secret_revoked).toBe(false);
    await api.post(`/api/v1/webhook_endpoints/${endpoint.id}/test`, undefined, { token: apiKey });
    const [, , third] = await waitForReceived(receiver, 3);
    expect(verify(again.body.secret, third!)).toBeTruthy();
    expect(verify(newSecret, third!)).toBeTruthy();
    expect(() => verify(endpoint.secret, third!)).toThrow(WebhookVerificationError);
    // The receiver has the third request before its attempt is recorded: wait for the record, not the request.
    expect((await settledDeliveries(apiKey, endpoint.id, 3)).map((d) => d.status)).toEqual(["succeeded", "succeeded", "succeeded"]);
  });

  it("a second rotation within 24 h: the secret it replaces signs for 24 h more, the original stops now, and the answer says so", async () => {
    const { apiKey } = await signUp();
    const endpoint = await createEndpoint(apiKey, { url: receiver.url() });
    const first = await api.post(`/api/v1/webhook_endpoints/${endpoint.id}/rotate_secret`, undefined, { token: apiKey });
    expect(first.body.older_secret_revoked).toBe(false);
    await sleep(50);
    const before = Date.now();
    const second = await api.post(`/api/v1/webhook_endpoints/${endpoint.id}/rotate_secret`, undefined, { token: apiKey });
    expect(second.status).toBe(200);
    expect(Object.keys(second.body).sort()).toEqual(["older_secret_revoked", "previous_secret_expires_at", "secret"]);
    // The original's window (the first answer's previous_secret_expires_at) ended with this rotation.
    expect(second.body.older_secret_revoked).toBe(true);
    // previous_secret_expires_at is the first rotation's secret's own 24 h, from now.
    expect(Date.parse(second.body.previous_secret_expires_at)).toBeGreaterThan(Date.parse(first.body.previous_secret_expires_at));
    expect(Date.parse(second.body.previous_secret_expires_at) - before).toBeGreaterThanOrEqual(24 * 3600_000 - 1000);

    await api.post(`/api/v1/webhook_endpoints/${endpoint.id}/test`, undefined, { token: apiKey });
    const [received] = await waitForReceived(receiver, 1);
    expect(String(received!.headers["webhook-signature"]).split(" ")).toHaveLength(2);
    expect(verify(second.body.secret, received!)).toEqual(received!.json);
    expect(verify(first.body.secret, received!)).toEqual(received!.json);
    expect(() => verify(endpoint.secret, received!)).toThrow(WebhookVerificationError);
    await settledDeliveries(apiKey, endpoint.id, 1);
  });

  it("every attempt of one message keeps its webhook-id and is signed at its own timestamp", async () => {
    const { apiKey } = await signUp();
    const endpoint = await createEndpoint(apiKey, { url: receiver.url() });
    receiver.script([{ status: 500 }, { status: 500 }]);
    await api.post(`/api/v1/webhook_endpoints/${endpoint.id}/test`, undefined, { token: apiKey });
    const received = await waitForReceived(receiver, 3);
    expect(new Set(received.map((r) => r.headers["webhook-id"])).size).toBe(1);
    for (const r of received) expect(verify(endpoint.secret, r)).toEqual(received[0]!.json);
    expect(received.every((r) => r.body === received[0]!.body)).toBe(true);
  });
});
