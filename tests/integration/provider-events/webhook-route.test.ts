/**
 * The webhook door under attack and under load: SNS subscriptions confirmed only when genuine, topics and
 * certificate hosts pinned, Mailgun tokens good once (also for two workers handed the same request), a
 * connection id of another tenant refusing this tenant's signature, unknown paths and methods answered as
 * JSON, and junk (NUL bytes, broken JSON, huge bodies and batches) never a 500.
 */
import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/server/db";
import { setSnsHttpForTests } from "@/server/services/provider-events/sns-http";
import { mailgunTokenPrefix } from "@/server/services/provider-events/mailgun";
import { makeSigningIdentity, mailgunEventData, mailgunSigner, postmarkRequest, resendEvent, resendSigner, sendgridEvent, sendgridSigner, sesEvent, type SignedWebhook } from "../../emulators/events";
import { api, call } from "../../helpers/api";
import { connectionBody } from "../../helpers/connections";
import { footprint, postWebhook, sendEmail, tenantWithSentEmail, TOPIC, eventsStackForFile } from "./support";

const world = eventsStackForFile();

describe("SES through SNS", () => {
  it("confirms a genuine subscription at its SubscribeURL, and not a forged, foreign or misdirected one", async () => {
    const t = await tenantWithSentEmail(world.stack, "aws_ses", { sns_topic_arn: TOPIC });
    const forged = world.sns.subscriptionConfirmation(TOPIC, { signWith: makeSigningIdentity().privateKeyPem });
    const foreign = world.sns.subscriptionConfirmation("arn:aws:sns:us-east-1:999999999999:courierx-events");
    const offHost = world.sns.subscriptionConfirmation(TOPIC, { certUrl: "https://sns.us-east-1.amazonaws.evil.example/SimpleNotificationService-x.pem" });
    // A validly signed message whose SubscribeURL leads off SNS is refused too (SubscribeURL is signed: sign it so).
    const genuine = world.sns.subscriptionConfirmation(TOPIC);
    const redirected = world.sns.deliver({ ...genuine.message, SubscribeURL: "https://attacker.example/?Action=ConfirmSubscription&Token=x" });
    for (const signed of [forged, foreign, offHost, redirected]) {
      const res = await postWebhook("aws_ses", t.connectionId, signed);
      expect(res.status).toBe(401);
    }
    expect(world.sns.confirmations).toEqual([]);
    expect((await footprint(t.tenantId, t.connectionId)).lastEventAt).toBeNull();

    const res = await postWebhook("aws_ses", t.connectionId, genuine);
    expect(res.status, res.text).toBe(200);
    expect(world.sns.confirmations).toEqual([genuine.message.Token]);
    // SES's setup note, then an unsubscribe confirmation: verified, recorded as nothing.
    const note = await postWebhook("aws_ses", t.connectionId, world.sns.notification(TOPIC, "Successfully validated SNS topic for Amazon SES event publishing."));
    expect([note.status, note.body.recorded]).toEqual([200, 0]);
    const unsubscribe = world.sns.deliver({ ...genuine.message, Type: "UnsubscribeConfirmation", MessageId: randomUUID(), Timestamp: new Date().toISOString() });
    expect((await postWebhook("aws_ses", t.connectionId, unsubscribe)).status).toBe(200);
    expect(world.sns.confirmations).toHaveLength(1);
    expect((await footprint(t.tenantId, t.connectionId)).events).toEqual(["queued", "sent"]);
  });

  it("fetches certificates only from the SNS certificate path of the topic's own region, never with a query", async () => {
    const t = await tenantWithSentEmail(world.stack, "aws_ses", { sns_topic_arn: TOPIC });
    const path = new URL(world.sns.certUrl).pathname;
    const fetchesBefore = world.sns.requests.length;
    for (const certUrl of [`${world.sns.certUrl}?n=1`, `${world.sns.certUrl}#x`, `https://sns.ap-southeast-2.amazonaws.com${path}`, "https://sns.us-east-1.amazonaws.com/other.pem"]) {
      const signed = world.sns.notification(TOPIC, sesEvent("Delivery", { recipient: t.email.toEmail, messageId: t.email.providerMessageId }), { certUrl });
      expect((await postWebhook("aws_ses", t.connectionId, signed)).status, certUrl).toBe(401);
    }
    expect(world.sns.requests.length).toBe(fetchesBefore);
  });

  it("answers 502 when the SubscribeURL cannot be reached, so SNS tries again", async () => {
    const t = await tenantWithSentEmail(world.stack, "aws_ses", { sns_topic_arn: TOPIC });
    const restore = setSnsHttpForTests(async (url) => (url.pathname.endsWith(".pem") ? world.sns.transport(url) : { status: 503, body: "unavailable" }));
    try {
      const res = await postWebhook("aws_ses", t.connectionId, world.sns.subscriptionConfirmation(TOPIC));
      expect(res.status).toBe(502);
    } finally {
      restore();
    }
  });

  it("refuses every SNS message on a connection without sns_topic_arn, and records once the topic is set", async () => {
    const t = await tenantWithSentEmail(world.stack, "aws_ses", {});
    expect(t.connection.events_webhook).toMatchObject({ sns_topic_arn_set: false });
    const delivered = world.sns.notification(TOPIC, sesEvent("Delivery", { recipient: t.email.toEmail, messageId: t.email.providerMessageId }));
    expect((await postWebhook("aws_ses", t.connectionId, delivered)).status).toBe(401);
    expect((await postWebhook("aws_ses", t.connectionId, world.sns.subscriptionConfirmation(TOPIC))).status).toBe(401);
    const patched = await api.patch(`/api/v1/provider_connections/${t.connectionId}`, { sns_topic_arn: TOPIC }, { token: t.apiKey });
    expect(patched.body.events_webhook).toMatchObject({ sns_topic_arn_set: true });
    const res = await postWebhook("aws_ses", t.connectionId, delivered);
    expect([res.status, res.body.recorded]).toEqual([200, 1]);
  });
});

describe("replays, second workers and other tenants", () => {
  it("takes a Mailgun token once, also when two workers get the same request at the same moment", async () => {
    const signer = mailgunSigner();
    const t = await tenantWithSentEmail(world.stack, "mailgun", { webhook_signing_key: signer.signingKey });
    const signed = signer.sign(mailgunEventData("opened", { recipient: t.email.toEmail, messageId: t.email.providerMessageId, variables: { courierx_email_id: t.email.id } }));
    const results = await Promise.all([postWebhook("mailgun", t.connectionId, signed), postWebhook("mailgun", t.connectionId, signed)]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 401]);
    expect((await postWebhook("mailgun", t.connectionId, signed)).status).toBe(401);
    const f = await footprint(t.tenantId, t.connectionId);
    expect(f.events.filter((e) => e === "opened")).toHaveLength(1);
    expect(f.tokens).toBe(1);
    const row = await (await getDb()).seenWebhookToken.findFirstOrThrow({ where: { key: { startsWith: mailgunTokenPrefix(signer.signingKey) } } });
    expect(row.expiresAt.getTime()).toBeGreaterThan(Date.now() + 20 * 60_000);
    expect(row.key).not.toContain(signer.signingKey);
  });

  it("refuses a Mailgun request captured at one connection and replayed, with other event data, at another with the same key", async () => {
    // Mailgun's key is the account's: two domains (connections), perhaps two tenants, share it.
    const signer = mailgunSigner();
    const a = await tenantWithSentEmail(world.stack, "mailgun", { webhook_signing_key: signer.signingKey });
    const b = await tenantWithSentEmail(world.stack, "mailgun", { webhook_signing_key: signer.signingKey });
    const opened = signer.sign(mailgunEventData("opened", { recipient: a.email.toEmail, messageId: a.email.providerMessageId, variables: { courierx_email_id: a.email.id } }));
    expect((await postWebhook("mailgun", a.connectionId, opened)).status).toBe(200);
    const { signature } = JSON.parse(opened.body) as { signature: unknown };
    const forged = JSON.stringify({
      signature,
      "event-data": mailgunEventData("failed", { recipient: b.email.toEmail, messageId: b.email.providerMessageId, severity: "permanent", reason: "bounce", variables: { courierx_email_id: b.email.id } }),
    });
    const before = await footprint(b.tenantId, b.connectionId);
    expect((await postWebhook("mailgun", b.connectionId, { body: forged, headers: opened.headers })).status).toBe(401);
    expect(await footprint(b.tenantId, b.connectionId)).toEqual(before);
  });

  it("refuses a signed Mailgun token that could not be a token (NUL, spaces) with a 401, not a 500", async () => {
    const signer = mailgunSigner();
    const t = await tenantWithSentEmail(world.stack, "mailgun", { webhook_signing_key: signer.signingKey });
    for (const token of ["ab\u0000cd", "with space", "x".repeat(257)]) {
      const signed = signer.sign(mailgunEventData("opened", { recipient: t.email.toEmail, messageId: t.email.providerMessageId, variables: { courierx_email_id: t.email.id } }), { token });
      expect((await postWebhook("mailgun", t.connectionId, signed)).status, JSON.stringify(token)).toBe(401);
    }
  });

  it("records an event once when the same signed batch arrives twice at the same moment", async () => {
    const signer = sendgridSigner();
    const t = await tenantWithSentEmail(world.stack, "sendgrid", { webhook_signing_key: signer.publicKey });
    const signed = signer.sign([sendgridEvent("open", { email: t.email.toEmail, messageId: t.email.providerMessageId, customArgs: { courierx_email_id: t.email.id } })]);
    const results = await Promise.all([postWebhook("sendgrid", t.connectionId, signed), postWebhook("sendgrid", t.connectionId, signed)]);
    expect(results.map((r) => r.status)).toEqual([200, 200]);
    expect((await footprint(t.tenantId, t.connectionId)).events.filter((e) => e === "opened")).toHaveLength(1);
  });

  it("refuses this tenant's signature on another tenant's connection, and never touches another tenant's email", async () => {
    const signer = resendSigner();
    const mine = await tenantWithSentEmail(world.stack, "resend", { webhook_signing_key: signer.secret });
    const theirs = await tenantWithSentEmail(world.stack, "resend", { webhook_signing_key: resendSigner().secret });
    const aboutMine = signer.sign(resendEvent("email.delivered", { to: mine.email.toEmail, emailId: mine.email.providerMessageId, tags: { courierx_email_id: mine.email.id } }));
    expect((await postWebhook("resend", theirs.connectionId, aboutMine)).status).toBe(401);
    // Signed for my connection but naming their email: matched within my tenant only, so dropped.
    const aboutTheirs = signer.sign(resendEvent("email.delivered", { to: theirs.email.toEmail, emailId: theirs.email.providerMessageId, tags: { courierx_email_id: theirs.email.id } }));
    const res = await postWebhook("resend", mine.connectionId, aboutTheirs);
    expect([res.status, res.body.unknown_email]).toEqual([200, 1]);
    expect((await footprint(theirs.tenantId, theirs.connectionId)).emails.map((e) => e.status)).toEqual(["sent"]);
    expect((await footprint(theirs.tenantId, theirs.connectionId)).lastEventAt).toBeNull();
  });

  it("drops events for unknown emails with a 200, and still notes the verified request", async () => {
    const signer = sendgridSigner();
    const t = await tenantWithSentEmail(world.stack, "sendgrid", { webhook_signing_key: signer.publicKey });
    const res = await postWebhook("sendgrid", t.connectionId, signer.sign([sendgridEvent("delivered", { email: "nobody@example.com", messageId: "unknownMsgId", customArgs: { courierx_email_id: randomUUID() } })]));
    expect(res.body).toMatchObject({ recorded: 0, unknown_email: 1 });
    expect((await footprint(t.tenantId, t.connectionId)).lastEventAt).not.toBeNull();
    // A second email of the tenant is untouched.
    await sendEmail(t.apiKey);
    expect((await footprint(t.tenantId, t.connectionId)).emails.map((e) => e.status)).toEqual(["sent", "sent"]);
  });
});

describe("the route itself", () => {
  let sendgrid: ReturnType<typeof sendgridSigner>;
  let t: Awaited<ReturnType<typeof tenantWithSentEmail>>;
  beforeAll(async () => {
    sendgrid = sendgridSigner();
    t = await tenantWithSentEmail(world.stack, "sendgrid", { webhook_signing_key: sendgrid.publicKey });
  });

  it("answers 404 JSON for an unknown provider, the wrong provider, a malformed or unknown id, and 405 for other methods", async () => {
    const signed = sendgrid.sign([sendgridEvent("open", { email: t.email.toEmail })]);
    for (const path of [`/api/webhooks/smtp/${t.connectionId}`, `/api/webhooks/nope/${t.connectionId}`, `/api/webhooks/mailgun/${t.connectionId}`, "/api/webhooks/sendgrid/not-a-uuid", `/api/webhooks/sendgrid/${randomUUID()}`, `/api/webhooks/sendgrid/${"a".repeat(5000)}`]) {
      const res = await call("POST", path, { rawBody: signed.body, headers: signed.headers });
      expect([path.slice(0, 60), res.status, res.body]).toEqual([path.slice(0, 60), 404, { error: "Not found" }]);
    }
    for (const method of ["GET", "PUT", "PATCH", "DELETE"]) {
      const res = await call(method, `/api/webhooks/sendgrid/${t.connectionId}`, { rawBody: method === "GET" ? undefined : "{}" });
      expect([method, res.status, res.body, res.headers.get("allow")]).toEqual([method, 405, { error: "Method not allowed" }, "OPTIONS, POST"]);
    }
  });

  it("refuses a body over 1 MB with 413 before verifying, and a batch over 1,000 events with 413 after", async () => {
    const big = await call("POST", `/api/webhooks/sendgrid/${t.connectionId}`, { rawBody: "[" + " ".repeat(1024 * 1024) + "]", headers: { "content-type": "application/json" } });
    expect([big.status, big.body]).toEqual([413, { error: "Payload too large" }]);
    const batch = sendgrid.sign(Array.from({ length: 1001 }, () => ({ event: "open", sg_event_id: "x" })));
    expect((await postWebhook("sendgrid", t.connectionId, batch)).status).toBe(413);
    expect((await footprint(t.tenantId, t.connectionId)).events).toEqual(["queued", "sent"]);
  });

  it("never answers junk with a 5xx: unsigned junk is 401, signed junk 400 or a 200 that records nothing", async () => {
    const junk = ["", "\u0000\u0000", "{", "[1,2,", "null", "[]", "{}", "\ud800", '"string"', "[" + "[".repeat(5000) + "]".repeat(5000) + "]", JSON.stringify([{ event: "delivered", sg_event_id: "a\u0000b", email: "\u0000", courierx_email_id: "' OR 1=1 --", timestamp: "NaN", sg_message_id: { $ne: 1 } }])];
    const resend = resendSigner();
    const created = async (provider: string, extra: Record<string, unknown>) =>
      (await api.post("/api/v1/provider_connections", connectionBody(world.stack.emulators, provider as never, extra), { token: t.apiKey })).body as { id: string; events_webhook: { url: string } };
    const mg = await created("mailgun", { webhook_signing_key: mailgunSigner().signingKey });
    const pm = await created("postmark", {});
    const re = await created("resend", { webhook_signing_key: resend.secret });
    const ses = await created("aws_ses", { sns_topic_arn: TOPIC });
    // Unsigned junk everywhere; signed junk where the signature does not live inside the body.
    const providers: [string, string, ((body: string) => SignedWebhook) | undefined][] = [
      ["sendgrid", t.connectionId, (body) => sendgrid.sign([], { body })],
      ["mailgun", mg.id, undefined],
      ["postmark", pm.id, (body) => ({ ...postmarkRequest(pm.events_webhook.url, {}), body })],
      ["resend", re.id, (body) => resend.sign({}, { body })],
      ["aws_ses", ses.id, undefined],
    ];
    for (const [provider, connectionId, sign] of providers) {
      for (const body of junk) {
        const unsigned = await call("POST", `/api/webhooks/${provider}/${connectionId}`, { rawBody: body, headers: { "content-type": "text/plain" } });
        expect(unsigned.status, `${provider} unsigned ${body.slice(0, 20)}`).toBe(401);
        if (!sign) continue;
        const signed = await postWebhook(provider, connectionId, sign(body));
        expect([400, 200], `${provider} ${body.slice(0, 20)} → ${signed.status} ${signed.text}`).toContain(signed.status);
      }
    }
    expect((await footprint(t.tenantId, t.connectionId)).events).toEqual(["queued", "sent"]);
  });
});
