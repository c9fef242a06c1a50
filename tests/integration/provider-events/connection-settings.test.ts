/**
 * The provider connection API's side of event webhooks: webhook_signing_key and sns_topic_arn accepted
 * (format-checked, per provider), stored sealed and never returned; events_webhook on every connection;
 * Postmark's generated credentials in full only at creation and rotation; test keys and other tenants kept out.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/server/db";
import { env } from "@/server/env";
import { closeProviderClients } from "@/server/providers";
import { postmarkRecord, postmarkRequest, resendSigner, sendgridSigner } from "../../emulators/events";
import { startEmulators, type Emulators } from "../../emulators";
import { api, signUp, type ApiResponse } from "../../helpers/api";
import { connectionBody } from "../../helpers/connections";
import { postWebhook } from "./support";

let emulators: Emulators;
const responses: ApiResponse[] = [];
const track = async (p: Promise<ApiResponse>) => {
  const res = await p;
  responses.push(res);
  return res;
};

beforeAll(async () => {
  emulators = await startEmulators();
});
afterAll(async () => {
  closeProviderClients();
  await emulators.stop();
});

const sendgrid = sendgridSigner();
const resend = resendSigner();
const MAILGUN_KEY = "mailgun-signing-key-7c1f0e9a2b";
const TOPIC = "arn:aws:sns:eu-west-1:123456789012:ses-events";
const secrets: string[] = [sendgrid.publicKey, resend.secret, MAILGUN_KEY, TOPIC];

describe("event-webhook settings on provider connections", () => {
  it("accepts each provider's key on create and PATCH, shows events_webhook, and never returns a secret (create, get, list, patch)", async () => {
    const t = await signUp();
    const created = {
      sendgrid: await track(api.post("/api/v1/provider_connections", connectionBody(emulators, "sendgrid", { webhook_signing_key: `-----BEGIN PUBLIC KEY-----\n${sendgrid.publicKey}\n-----END PUBLIC KEY-----\n` }), { token: t.apiKey })),
      mailgun: await track(api.post("/api/v1/provider_connections", connectionBody(emulators, "mailgun", { webhook_signing_key: MAILGUN_KEY }), { token: t.apiKey })),
      resend: await track(api.post("/api/v1/provider_connections", connectionBody(emulators, "resend"), { token: t.apiKey })),
      aws_ses: await track(api.post("/api/v1/provider_connections", connectionBody(emulators, "aws_ses", { sns_topic_arn: TOPIC }), { token: t.apiKey })),
      smtp: await track(api.post("/api/v1/provider_connections", connectionBody(emulators, "smtp"), { token: t.apiKey })),
    };
    for (const [provider, res] of Object.entries(created)) expect(res.status, `${provider} ${res.text}`).toBe(201);
    const url = (provider: string, id: string) => `http://localhost/api/webhooks/${provider}/${id}`;
    expect(created.sendgrid.body.events_webhook).toEqual({ url: url("sendgrid", created.sendgrid.body.id), last_event_at: null, signing_key_set: true });
    expect(created.mailgun.body.events_webhook).toMatchObject({ signing_key_set: true });
    expect(created.resend.body.events_webhook).toMatchObject({ signing_key_set: false });
    expect(created.aws_ses.body.events_webhook).toEqual({ url: url("aws_ses", created.aws_ses.body.id), last_event_at: null, signing_key_set: false, sns_topic_arn_set: true });
    expect(created.smtp.body.events_webhook).toBeNull();

    const patched = await track(api.patch(`/api/v1/provider_connections/${created.resend.body.id}`, { webhook_signing_key: resend.secret }, { token: t.apiKey }));
    expect(patched.status).toBe(200);
    expect(patched.body.events_webhook.signing_key_set).toBe(true);
    // Changing event settings contacts no provider and keeps the verification as it was.
    expect(patched.body.verification).toEqual(created.resend.body.verification);
    const cleared = await track(api.patch(`/api/v1/provider_connections/${created.mailgun.body.id}`, { webhook_signing_key: null }, { token: t.apiKey }));
    expect(cleared.body.events_webhook.signing_key_set).toBe(false);
    await track(api.patch(`/api/v1/provider_connections/${created.mailgun.body.id}`, { webhook_signing_key: MAILGUN_KEY, priority: 4 }, { token: t.apiKey }));
    await track(api.get(`/api/v1/provider_connections/${created.sendgrid.body.id}`, { token: t.apiKey }));
    const list = await track(api.get("/api/v1/provider_connections", { token: t.apiKey }));
    expect(list.body).toHaveLength(5);
    for (const c of list.body) expect(c.events_webhook === null, c.provider).toBe(c.provider === "smtp");

    // The key pasted with its PEM armour was stored as the bare key: SendGrid's signatures verify with it.
    expect((await postWebhook("sendgrid", created.sendgrid.body.id, sendgrid.sign([]))).status).toBe(200);
    const db = await getDb();
    const rows = await db.providerConnection.findMany({ where: { tenantId: t.tenantId } });
    for (const row of rows) for (const secret of secrets) expect(row.eventsSecretsEncrypted ?? "").not.toContain(secret.slice(0, 40));
    for (const res of responses) for (const secret of secrets) expect(res.text).not.toContain(secret.slice(10, 40));
  });

  it("refuses malformed or misplaced keys with a 422 naming them, changing nothing", async () => {
    const t = await signUp();
    const other = sendgridSigner();
    const { generateKeyPairSync } = await import("node:crypto");
    const rsa = generateKeyPairSync("rsa", { modulusLength: 1024 }).publicKey.export({ format: "der", type: "spki" }).toString("base64");
    const p384 = generateKeyPairSync("ec", { namedCurve: "secp384r1" }).publicKey.export({ format: "der", type: "spki" }).toString("base64");
    const bad: [string, Record<string, unknown>, RegExp][] = [
      ["sendgrid", { webhook_signing_key: "not base64 !!" }, /webhook_signing_key/],
      ["sendgrid", { webhook_signing_key: "AAAA" }, /not a valid public key/],
      ["sendgrid", { webhook_signing_key: rsa }, /P-256/],
      ["sendgrid", { webhook_signing_key: p384 }, /P-256/],
      ["resend", { webhook_signing_key: "secret_abc" }, /whsec_/],
      ["resend", { webhook_signing_key: "whsec_!!!" }, /whsec_/],
      ["resend", { webhook_signing_key: "whsec_AAAA" }, /too short/],
      ["mailgun", { webhook_signing_key: "short" }, /signing key/],
      ["postmark", { webhook_signing_key: other.publicKey }, /does not apply to postmark/],
      ["aws_ses", { webhook_signing_key: other.publicKey }, /does not apply to aws_ses/],
      ["smtp", { webhook_signing_key: other.publicKey }, /does not apply to smtp/],
      ["sendgrid", { sns_topic_arn: TOPIC }, /sns_topic_arn does not apply/],
      ["aws_ses", { sns_topic_arn: "arn:aws:sqs:us-east-1:123456789012:q" }, /sns_topic_arn must look like/],
      ["aws_ses", { sns_topic_arn: "arn:aws:sns:us-east-1:1234:q" }, /sns_topic_arn must look like/],
      ["aws_ses", { sns_topic_arn: 12 }, /sns_topic_arn/],
    ];
    for (const [provider, extra, message] of bad) {
      const res = await api.post("/api/v1/provider_connections", connectionBody(emulators, provider as never, extra), { token: t.apiKey });
      expect([provider, res.status], JSON.stringify(extra)).toEqual([provider, 422]);
      expect(res.body.errors.join(" "), JSON.stringify(extra)).toMatch(message);
    }
    expect(await (await getDb()).providerConnection.count({ where: { tenantId: t.tenantId } })).toBe(0);
    const ok = await api.post("/api/v1/provider_connections", connectionBody(emulators, "aws_ses", { sns_topic_arn: "arn:aws-cn:sns:cn-north-1:123456789012:ses-events.fifo" }), { token: t.apiKey });
    expect(ok.status, ok.text).toBe(201);
    const before = await (await getDb()).providerConnection.findUniqueOrThrow({ where: { id: ok.body.id } });
    const refused = await api.patch(`/api/v1/provider_connections/${ok.body.id}`, { sns_topic_arn: "nope", display_name: "Renamed" }, { token: t.apiKey });
    expect(refused.status).toBe(422);
    const after = await (await getDb()).providerConnection.findUniqueOrThrow({ where: { id: ok.body.id } });
    expect(after).toEqual(before);
  });

  it("embeds Postmark's generated credentials in full only at creation and on rotation; the old ones stop working", async () => {
    const t = await signUp();
    const created = await track(api.post("/api/v1/provider_connections", connectionBody(emulators, "postmark"), { token: t.apiKey }));
    expect(created.status).toBe(201);
    const fullUrl = new URL(created.body.events_webhook.url);
    expect(fullUrl.username).toMatch(/^courierx-/);
    expect(fullUrl.password.length).toBeGreaterThanOrEqual(43);
    expect(fullUrl.pathname).toBe(`/api/webhooks/postmark/${created.body.id}`);
    expect(created.body.events_webhook.signing_key_set).toBe(true);
    const masked = `http://${fullUrl.username}:••••@localhost/api/webhooks/postmark/${created.body.id}`;
    const get = await track(api.get(`/api/v1/provider_connections/${created.body.id}`, { token: t.apiKey }));
    expect(get.body.events_webhook.url).toBe(masked);
    const list = await track(api.get("/api/v1/provider_connections", { token: t.apiKey }));
    expect(list.body[0].events_webhook.url).toBe(masked);
    const patched = await track(api.patch(`/api/v1/provider_connections/${created.body.id}`, { display_name: "PM" }, { token: t.apiKey }));
    expect(patched.body.events_webhook.url).toBe(masked);
    for (const res of [get, list, patched]) expect(res.text).not.toContain(fullUrl.password);
    const row = await (await getDb()).providerConnection.findUniqueOrThrow({ where: { id: created.body.id } });
    expect(row.eventsSecretsEncrypted).not.toContain(fullUrl.password);

    const record = postmarkRecord("Delivery", { recipient: "a@example.com", messageId: "pm-x" });
    expect((await postWebhook("postmark", created.body.id, postmarkRequest(fullUrl.href, record))).status).toBe(200);
    const rotated = await track(api.post(`/api/v1/provider_connections/${created.body.id}/rotate_webhook_credentials`, undefined, { token: t.apiKey }));
    expect(rotated.status, rotated.text).toBe(200);
    const newUrl = new URL(rotated.body.events_webhook.url);
    expect(newUrl.password).not.toBe(fullUrl.password);
    expect((await postWebhook("postmark", created.body.id, postmarkRequest(fullUrl.href, record))).status).toBe(401);
    expect((await postWebhook("postmark", created.body.id, postmarkRequest(newUrl.href, record))).status).toBe(200);
    const after = await track(api.get(`/api/v1/provider_connections/${created.body.id}`, { token: t.apiKey }));
    expect(after.text).not.toContain(newUrl.password);
    expect(after.body.events_webhook.last_event_at).not.toBeNull();
  });

  it("rotates only Postmark connections, refuses test keys (403) and other tenants (404)", async () => {
    const t = await signUp();
    const intruder = await signUp();
    const pm = await api.post("/api/v1/provider_connections", connectionBody(emulators, "postmark"), { token: t.apiKey });
    const sg = await api.post("/api/v1/provider_connections", connectionBody(emulators, "sendgrid"), { token: t.apiKey });
    const notPostmark = await api.post(`/api/v1/provider_connections/${sg.body.id}/rotate_webhook_credentials`, undefined, { token: t.apiKey });
    expect([notPostmark.status, notPostmark.body.errors?.[0]]).toEqual([422, expect.stringMatching(/only postmark/i)]);
    const testKey = await api.post("/api/v1/api_keys", { name: "sandbox", mode: "test" }, { token: t.token });
    expect(testKey.status, testKey.text).toBe(201);
    const before = await (await getDb()).providerConnection.findUniqueOrThrow({ where: { id: pm.body.id } });
    const forbidden = await api.post(`/api/v1/provider_connections/${pm.body.id}/rotate_webhook_credentials`, undefined, { token: testKey.body.raw_key });
    expect([forbidden.status, forbidden.body]).toEqual([403, { error: "Test keys cannot change configuration" }]);
    const patchByTestKey = await api.patch(`/api/v1/provider_connections/${sg.body.id}`, { webhook_signing_key: sendgrid.publicKey }, { token: testKey.body.raw_key });
    expect(patchByTestKey.status).toBe(403);
    const read = await api.get(`/api/v1/provider_connections/${pm.body.id}`, { token: testKey.body.raw_key });
    expect(read.body.events_webhook.url).toContain(":••••@");
    for (const res of [
      await api.post(`/api/v1/provider_connections/${pm.body.id}/rotate_webhook_credentials`, undefined, { token: intruder.apiKey }),
      await api.patch(`/api/v1/provider_connections/${sg.body.id}`, { webhook_signing_key: sendgrid.publicKey }, { token: intruder.apiKey }),
      await api.get(`/api/v1/provider_connections/${pm.body.id}`, { token: intruder.apiKey }),
    ]) {
      expect([res.status, res.body]).toEqual([404, { error: "Not found" }]);
    }
    expect(await (await getDb()).providerConnection.findUniqueOrThrow({ where: { id: pm.body.id } })).toEqual(before);
  });

  it("builds the URL from APP_URL when set", async () => {
    const t = await signUp();
    const previous = env.APP_URL;
    env.APP_URL = "https://mail.example.com/courierx/";
    try {
      const res = await api.post("/api/v1/provider_connections", connectionBody(emulators, "sendgrid"), { token: t.apiKey });
      expect(res.body.events_webhook.url).toBe(`https://mail.example.com/courierx/api/webhooks/sendgrid/${res.body.id}`);
    } finally {
      env.APP_URL = previous;
    }
  });
});
