/**
 * Each provider's event webhook end to end: an email really sent through the provider's emulator, then
 * real-format events signed the provider's way posted to /api/webhooks/<provider>/<connection id>.
 * Refused requests (tampered, wrong signature, stale, unauthenticated) leave no trace; an accepted one puts
 * the event on the email's timeline with its provider and moves the status; a re-delivery is ignored; a
 * hard bounce matched only by the provider's message id suppresses the address.
 */
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  mailgunEventData,
  mailgunSigner,
  postmarkRecord,
  postmarkRequest,
  resendEvent,
  resendSigner,
  sendgridEvent,
  sendgridSigner,
  sesEvent,
  makeSigningIdentity,
  type SignedWebhook,
} from "../../emulators/events";
import { api } from "../../helpers/api";
import { footprint, postWebhook, tenantWithSentEmail, type EventProvider, type SentEmail, TOPIC, eventsStackForFile } from "./support";

const world = eventsStackForFile();
const minutesAgo = (m: number) => Math.floor(Date.now() / 1000) - m * 60;

/** How one provider delivers a `delivered` (carrying our email id) and a hard bounce (only its message id). */
interface ProviderCase {
  provider: EventProvider;
  connectExtra: Record<string, unknown>;
  delivered(email: SentEmail): SignedWebhook;
  /** The same event delivered again, as the provider retries it. */
  redelivered(first: SignedWebhook, email: SentEmail): SignedWebhook;
  hardBounce(email: SentEmail): SignedWebhook;
  wrongSignature(email: SentEmail): SignedWebhook;
  stale(email: SentEmail): SignedWebhook;
  unauthenticated(email: SentEmail): SignedWebhook;
  /** A signed request altered after signing (Mailgun signs only timestamp + token, not the event: so its timestamp). */
  tampered(signed: SignedWebhook, email: SentEmail): SignedWebhook;
  /** Postmark's URL carries the credentials the connection was created with. */
  setUp?(connection: { events_webhook: { url: string } }): void;
}

const sendgrid = sendgridSigner();
const sendgridForger = sendgridSigner();
const mailgun = mailgunSigner();
const resend = resendSigner();
const forger = makeSigningIdentity();
let postmarkUrl = "";

const ids = (email: SentEmail) => ({ courierx_email_id: email.id });

const cases: ProviderCase[] = [
  {
    provider: "sendgrid",
    connectExtra: { webhook_signing_key: sendgrid.publicKey },
    delivered: (email) => sendgrid.sign([sendgridEvent("processed", { email: email.toEmail, messageId: email.providerMessageId, customArgs: ids(email) }), sendgridEvent("delivered", { email: email.toEmail, messageId: email.providerMessageId, customArgs: ids(email), response: "250 OK" })]),
    redelivered: (first) => ({ ...first, headers: { ...first.headers } }),
    tampered: bodyTampered,
    hardBounce: (email) => sendgrid.sign([sendgridEvent("bounce", { email: email.toEmail, messageId: email.providerMessageId, type: "bounce", status: "5.1.1", reason: "550 5.1.1 user unknown" })]),
    wrongSignature: (email) => sendgridForger.sign([sendgridEvent("delivered", { email: email.toEmail, messageId: email.providerMessageId, customArgs: ids(email) })]),
    stale: (email) => sendgrid.sign([sendgridEvent("delivered", { email: email.toEmail, messageId: email.providerMessageId, customArgs: ids(email) })], { timestamp: minutesAgo(11) }),
    unauthenticated: (email) => ({ body: JSON.stringify([sendgridEvent("delivered", { email: email.toEmail, customArgs: ids(email) })]), headers: { "content-type": "application/json" } }),
  },
  {
    provider: "mailgun",
    connectExtra: { webhook_signing_key: mailgun.signingKey },
    delivered: (email) => mailgun.sign(mailgunEventData("delivered", { recipient: email.toEmail, messageId: email.providerMessageId, variables: ids(email) })),
    // Mailgun signs each attempt afresh: a new token for the same event-data.
    redelivered: (first) => mailgun.sign((JSON.parse(first.body) as { "event-data": Record<string, unknown> })["event-data"]),
    tampered: (signed) => {
      const body = JSON.parse(signed.body) as { signature: { timestamp: string } };
      body.signature.timestamp = String(Number(body.signature.timestamp) + 1);
      return { ...signed, body: JSON.stringify(body) };
    },
    hardBounce: (email) => mailgun.sign(mailgunEventData("failed", { recipient: email.toEmail, messageId: email.providerMessageId, severity: "permanent", reason: "bounce" })),
    wrongSignature: (email) => mailgunSigner("key-not-the-customers-signing-key").sign(mailgunEventData("delivered", { recipient: email.toEmail, messageId: email.providerMessageId, variables: ids(email) })),
    stale: (email) => mailgun.sign(mailgunEventData("delivered", { recipient: email.toEmail, messageId: email.providerMessageId, variables: ids(email) }), { timestamp: minutesAgo(11) }),
    unauthenticated: (email) => ({ body: JSON.stringify({ "event-data": mailgunEventData("delivered", { recipient: email.toEmail, messageId: email.providerMessageId, variables: ids(email) }) }), headers: { "content-type": "application/json" } }),
  },
  {
    provider: "postmark",
    connectExtra: {},
    setUp: (connection) => {
      postmarkUrl = connection.events_webhook.url;
    },
    delivered: (email) => postmarkRequest(postmarkUrl, postmarkRecord("Delivery", { recipient: email.toEmail, messageId: email.providerMessageId, metadata: ids(email) })),
    redelivered: (first) => first,
    // Postmark signs nothing: a changed body with the right credentials is as authentic as any.
    tampered: (signed) => ({ ...signed, headers: { ...signed.headers, authorization: signed.headers.authorization!.slice(0, -2) + "==" } }),
    hardBounce: (email) => postmarkRequest(postmarkUrl, postmarkRecord("Bounce", { recipient: email.toEmail, messageId: email.providerMessageId })),
    wrongSignature: (email) => {
      const url = new URL(postmarkUrl);
      url.password = "not-the-generated-password";
      return postmarkRequest(url.href, postmarkRecord("Delivery", { recipient: email.toEmail, messageId: email.providerMessageId, metadata: ids(email) }));
    },
    // Basic credentials carry no timestamp: a stale request is one with credentials of another connection.
    stale: (email) => postmarkRequest(postmarkUrl.replace(/:[^:@/]+@/, ":AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA@"), postmarkRecord("Delivery", { recipient: email.toEmail, messageId: email.providerMessageId })),
    unauthenticated: (email) => postmarkRequest(postmarkUrl.replace(/\/\/[^@]+@/, "//"), postmarkRecord("Delivery", { recipient: email.toEmail, messageId: email.providerMessageId, metadata: ids(email) })),
  },
  {
    provider: "resend",
    connectExtra: { webhook_signing_key: resend.secret },
    delivered: (email) => resend.sign(resendEvent("email.delivered", { to: email.toEmail, emailId: email.providerMessageId, tags: ids(email) })),
    redelivered: (first) => first,
    tampered: bodyTampered,
    hardBounce: (email) => resend.sign(resendEvent("email.bounced", { to: email.toEmail, emailId: email.providerMessageId })),
    wrongSignature: (email) => resendSigner().sign(resendEvent("email.delivered", { to: email.toEmail, emailId: email.providerMessageId, tags: ids(email) })),
    stale: (email) => resend.sign(resendEvent("email.delivered", { to: email.toEmail, emailId: email.providerMessageId, tags: ids(email) }), { timestamp: new Date(Date.now() - 6 * 60_000) }),
    unauthenticated: (email) => ({ body: JSON.stringify(resendEvent("email.delivered", { to: email.toEmail, emailId: email.providerMessageId, tags: ids(email) })), headers: { "content-type": "application/json" } }),
  },
  {
    provider: "aws_ses",
    connectExtra: { sns_topic_arn: TOPIC },
    delivered: (email) => world.sns.notification(TOPIC, sesEvent("Delivery", { recipient: email.toEmail, messageId: email.providerMessageId, tags: ids(email) })),
    redelivered: (first) => first,
    tampered: bodyTampered,
    hardBounce: (email) => world.sns.notification(TOPIC, sesEvent("Bounce", { recipient: email.toEmail, messageId: email.providerMessageId }), { signatureVersion: "1" }),
    wrongSignature: (email) => world.sns.notification(TOPIC, sesEvent("Delivery", { recipient: email.toEmail, messageId: email.providerMessageId, tags: ids(email) }), { signWith: forger.privateKeyPem }),
    stale: (email) => world.sns.notification(TOPIC, sesEvent("Delivery", { recipient: email.toEmail, messageId: email.providerMessageId, tags: ids(email) }), { timestamp: new Date(Date.now() - 2 * 3_600_000) }),
    unauthenticated: (email) => ({ body: JSON.stringify({ Type: "Notification", MessageId: randomUUID(), TopicArn: TOPIC, Message: JSON.stringify(sesEvent("Delivery", { recipient: email.toEmail, messageId: email.providerMessageId, tags: ids(email) })), Timestamp: new Date().toISOString() }), headers: { "content-type": "text/plain; charset=UTF-8" } }),
  },
];

/** A signed request whose body was changed after signing (where the signature covers the body). */
function bodyTampered(signed: SignedWebhook, email: SentEmail): SignedWebhook {
  const body = signed.body.includes("delivered") ? signed.body.replace("delivered", "bounced") : signed.body.replace(email.toEmail, `x${email.toEmail}`);
  expect(body).not.toBe(signed.body);
  return { ...signed, body };
}

describe.each(cases)("$provider event webhook", (c) => {
  it("refuses tampered, wrongly signed, stale and unauthenticated requests without a trace, then records, de-duplicates and suppresses", async () => {
    const t = await tenantWithSentEmail(world.stack, c.provider, c.connectExtra);
    c.setUp?.(t.connection);
    expect(t.connection.events_webhook).toMatchObject({ url: expect.stringContaining(`/api/webhooks/${c.provider}/${t.connectionId}`), last_event_at: null, signing_key_set: c.provider !== "aws_ses" });
    const before = await footprint(t.tenantId, t.connectionId);
    expect(before.events).toEqual(["queued", "sent"]);

    const good = c.delivered(t.email);
    const refusals: [string, SignedWebhook][] = [
      ["tampered", c.tampered(good, t.email)],
      ["wrong signature", c.wrongSignature(t.email)],
      ["stale", c.stale(t.email)],
      ["unauthenticated", c.unauthenticated(t.email)],
    ];
    for (const [label, signed] of refusals) {
      const res = await postWebhook(c.provider, t.connectionId, signed);
      expect([label, res.status, res.body]).toEqual([label, 401, { error: "Unauthorized" }]);
    }
    expect(await footprint(t.tenantId, t.connectionId)).toEqual(before);

    const accepted = await postWebhook(c.provider, t.connectionId, good);
    expect(accepted.status, accepted.text).toBe(200);
    let detail = (await api.get(`/api/v1/emails/${t.email.id}`, { token: t.apiKey })).body;
    expect(detail.status).toBe("delivered");
    // Provider times have second precision: the timeline order of sent and delivered may tie either way.
    expect(detail.events.map((e: { event_type: string }) => e.event_type).sort()).toEqual(["delivered", "queued", "sent"]);
    expect(detail.events.find((e: { event_type: string }) => e.event_type === "delivered")).toMatchObject({ provider: c.provider, connection_id: t.connectionId });
    const connection = await api.get(`/api/v1/provider_connections/${t.connectionId}`, { token: t.apiKey });
    expect(connection.body.events_webhook.last_event_at).not.toBeNull();

    const again = await postWebhook(c.provider, t.connectionId, c.redelivered(good, t.email));
    expect(again.status, again.text).toBe(200);
    expect(again.body).toMatchObject({ recorded: 0, duplicates: 1 });
    detail = (await api.get(`/api/v1/emails/${t.email.id}`, { token: t.apiKey })).body;
    expect(detail.events).toHaveLength(3);

    const bounce = await postWebhook(c.provider, t.connectionId, c.hardBounce(t.email));
    expect(bounce.status, bounce.text).toBe(200);
    expect(bounce.body).toMatchObject({ recorded: 1 });
    detail = (await api.get(`/api/v1/emails/${t.email.id}`, { token: t.apiKey })).body;
    expect(detail.status).toBe("bounced");
    expect(detail.events.find((e: { event_type: string }) => e.event_type === "bounced")).toMatchObject({ provider: c.provider, bounce_type: "hard" });
    const suppressions = await api.get("/api/v1/suppressions", { token: t.apiKey });
    expect(suppressions.body).toEqual([expect.objectContaining({ email: t.email.toEmail, reason: "bounce", email_id: t.email.id, provider: c.provider })]);
  });
});
