/** Verification and normalization of the three HMAC / Basic-auth providers, as pure functions. */
import { createHmac, randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { generateBasicCredentials } from "@/server/services/provider-connections/events-secrets";
import { parseMailgunEvent, verifyMailgunSignature } from "@/server/services/provider-events/mailgun";
import { parsePostmarkEvent, verifyPostmarkCredentials } from "@/server/services/provider-events/postmark";
import { parseResendEvent, verifyResendSignature } from "@/server/services/provider-events/resend";
import type { WebhookRequest } from "@/server/services/provider-events/shared";
import { mailgunEventData, mailgunSigner, postmarkRecord, postmarkRequest, resendEvent, resendSigner, type SignedWebhook } from "../../emulators/events";

const req = (signed: Pick<SignedWebhook, "body"> & { headers?: Record<string, string> }, now = new Date()): WebhookRequest => ({
  rawBody: Buffer.from(signed.body, "utf8"),
  headers: new Headers(signed.headers ?? {}),
  now,
});
const emailId = randomUUID();

describe("Mailgun", () => {
  const signer = mailgunSigner();
  const data = (event: string, extra: Record<string, unknown> = {}) => mailgunEventData(event, { recipient: "Bad@Example.com", messageId: "20240101.abc@mg.example.com", variables: { courierx_email_id: emailId }, ...extra });

  it("verifies the HMAC of timestamp + token (the same value a plain HMAC gives) and refuses every alteration", () => {
    const signed = signer.sign(data("delivered"));
    const { signature } = JSON.parse(signed.body) as { signature: { timestamp: string; token: string; signature: string } };
    expect(signature.signature).toBe(createHmac("sha256", signer.signingKey).update(signature.timestamp + signature.token).digest("hex"));
    expect(verifyMailgunSignature(req(signed), signer.signingKey).token).toBe(signature.token);
    const refused = (body: string, key = signer.signingKey, now = new Date()) => expect(() => verifyMailgunSignature(req({ body }, now), key)).toThrow(expect.objectContaining({ kind: "unauthorized" }));
    refused(signed.body, "key-some-other-signing-key-000");
    refused(signed.body.replace(signature.token, "f".repeat(50)));
    refused(signed.body.replace(signature.signature, signature.signature.toUpperCase().replace(/[0-9]/g, "a")));
    refused(signed.body, signer.signingKey, new Date(Date.now() + 11 * 60_000));
    refused(mailgunSigner(signer.signingKey).sign(data("delivered"), { timestamp: Math.floor(Date.now() / 1000) - 11 * 60 }).body);
    refused(JSON.stringify({ "event-data": data("delivered") }));
    refused("token=abc&signature=def");
    expect(() => verifyMailgunSignature(req(signed), undefined)).toThrow(/no webhook_signing_key/);
  });

  it("maps permanent failures to hard bounces, retries-exhausted to soft, ignores temporary deferrals, and reads variables and the message id", () => {
    const parse = (eventData: Record<string, unknown>) => parseMailgunEvent({ token: "t1", eventData }, new Date());
    expect(parse(data("failed", { severity: "permanent", reason: "bounce" }))).toEqual([
      expect.objectContaining({ type: "bounced", bounceType: "hard", emailId, providerMessageId: "20240101.abc@mg.example.com", recipient: "bad@example.com", diagnostic: expect.stringContaining("550") }),
    ]);
    expect(parse(data("failed", { severity: "permanent", reason: "old" }))[0]).toMatchObject({ bounceType: "soft" });
    expect(parse(data("failed", { severity: "temporary", reason: "generic" }))).toEqual([]);
    expect(parse(data("delivered"))[0]).toMatchObject({ type: "delivered" });
    expect(parse(data("opened"))[0]).toMatchObject({ type: "opened" });
    expect(parse(data("clicked", { url: "https://example.com/x" }))[0]).toMatchObject({ type: "clicked", url: "https://example.com/x" });
    expect(parse(data("complained"))[0]).toMatchObject({ type: "complained" });
    expect(parse(data("unsubscribed"))[0]).toMatchObject({ type: "unsubscribed" });
    expect(parse(data("accepted"))).toEqual([]);
    // The event id and time identify it across re-signed retries.
    const once = data("delivered");
    expect(parse(once)[0]!.externalId).toBe(parse(once)[0]!.externalId);
    expect(parse(once)[0]!.externalId).not.toBe(parse(data("delivered"))[0]!.externalId);
  });
});

describe("Postmark", () => {
  const { credentials, stored } = generateBasicCredentials();
  const url = `https://${credentials.username}:${credentials.password}@app.example.com/api/webhooks/postmark/x`;

  it("accepts only this connection's Basic credentials", () => {
    const record = postmarkRecord("Delivery", { recipient: "a@example.com", messageId: "pm-1" });
    expect(() => verifyPostmarkCredentials(req(postmarkRequest(url, record)), stored)).not.toThrow();
    const refused = (headers: Record<string, string>, secrets = stored) => expect(() => verifyPostmarkCredentials(req({ body: "{}", headers }), secrets)).toThrow(expect.objectContaining({ kind: "unauthorized" }));
    const basic = (value: string) => ({ authorization: `Basic ${Buffer.from(value).toString("base64")}` });
    refused({});
    refused(basic(`${credentials.username}:${credentials.password}x`));
    refused(basic(`other:${credentials.password}`));
    refused(basic(`${credentials.username}${credentials.password}`));
    refused({ authorization: `Bearer ${credentials.password}` });
    refused(basic(`${credentials.username}:${credentials.password}`), {});
    refused(basic(`${credentials.username}:${credentials.password}`), generateBasicCredentials().stored);
  });

  it("maps records: bounce types by Type/TypeCode, complaints, opens, clicks, suppressing subscription changes; same record, same id", () => {
    const parse = (record: Record<string, unknown>) => parsePostmarkEvent(req({ body: JSON.stringify(record) }));
    const base = { recipient: "A@example.com", messageId: "pm-1", metadata: { courierx_email_id: emailId } };
    expect(parse(postmarkRecord("Bounce", base))).toEqual([expect.objectContaining({ type: "bounced", bounceType: "hard", emailId, providerMessageId: "pm-1", recipient: "a@example.com" })]);
    for (const [Type, TypeCode, bounceType] of [["BadEmailAddress", 100000, "hard"], ["SoftBounce", 4096, "soft"], ["Transient", 2, "soft"], ["DnsError", 256, "soft"], ["Blocked", 100006, "soft"], ["", 1, "hard"]] as const) {
      expect(parse(postmarkRecord("Bounce", { ...base, Type, TypeCode }))[0], Type).toMatchObject({ type: "bounced", bounceType });
    }
    expect(parse(postmarkRecord("SpamComplaint", base))[0]).toMatchObject({ type: "complained" });
    expect(parse(postmarkRecord("Delivery", base))[0]).toMatchObject({ type: "delivered" });
    expect(parse(postmarkRecord("Open", base))[0]).toMatchObject({ type: "opened", userAgent: "Mozilla/5.0" });
    expect(parse(postmarkRecord("Click", base))[0]).toMatchObject({ type: "clicked", url: "https://example.com/x" });
    expect(parse(postmarkRecord("SubscriptionChange", base))[0]).toMatchObject({ type: "unsubscribed" });
    expect(parse(postmarkRecord("SubscriptionChange", { ...base, SuppressSending: false }))).toEqual([]);
    const delivery = postmarkRecord("Delivery", base);
    expect(parse(delivery)[0]!.externalId).toBe(parse({ ...delivery })[0]!.externalId);
    expect(parse(delivery)[0]!.externalId).not.toBe(parse({ ...delivery, DeliveredAt: new Date(Date.now() + 1000).toISOString() })[0]!.externalId);
    expect(() => parse([] as unknown as Record<string, unknown>)).toThrow(expect.objectContaining({ kind: "malformed" }));
  });
});

describe("Resend", () => {
  const signer = resendSigner();

  it("verifies Svix signatures with the whsec_ secret, within 5 minutes, and refuses every alteration", () => {
    const event = resendEvent("email.delivered", { to: "a@example.com", emailId: "re-1" });
    const signed = signer.sign(event);
    // The Svix scheme by hand: HMAC-SHA256 (base64) of id.timestamp.body under the decoded secret.
    const key = Buffer.from(signer.secret.slice("whsec_".length), "base64");
    const expected = createHmac("sha256", key).update(`${signed.id}.${signed.headers["svix-timestamp"]}.${signed.body}`).digest("base64");
    expect(signed.headers["svix-signature"]).toBe(`v1,${expected}`);
    expect(verifyResendSignature(req(signed), signer.secret)).toBe(signed.id);
    // Several signatures during a secret rotation: any one matching is enough.
    expect(verifyResendSignature(req({ ...signed, headers: { ...signed.headers, "svix-signature": `v1,AAAA ${signed.headers["svix-signature"]}` } }), signer.secret)).toBe(signed.id);
    const refused = (s: SignedWebhook, secret = signer.secret) => expect(() => verifyResendSignature(req(s), secret)).toThrow(expect.objectContaining({ kind: "unauthorized" }));
    refused({ ...signed, body: signed.body.replace("a@example.com", "b@example.com") });
    refused({ ...signed, headers: { ...signed.headers, "svix-id": "msg_other" } });
    refused(signed, resendSigner().secret);
    refused(signer.sign(event, { timestamp: new Date(Date.now() - 6 * 60_000) }));
    refused(signer.sign(event, { timestamp: new Date(Date.now() + 6 * 60_000) }));
    refused({ body: signed.body, headers: { "svix-id": signed.id, "svix-timestamp": signed.headers["svix-timestamp"]! } });
    expect(() => verifyResendSignature(req(signed), undefined)).toThrow(/no webhook_signing_key/);
  });

  it("maps email.* events, reads the tag and email_id, ignores delivery_delayed and contact events", () => {
    const parse = (event: Record<string, unknown>) => parseResendEvent(req({ body: JSON.stringify(event) }), "msg_1");
    const fields = { to: "A@example.com", emailId: "re-1", tags: { courierx_email_id: emailId } };
    expect(parse(resendEvent("email.bounced", fields))).toEqual([
      expect.objectContaining({ type: "bounced", bounceType: "hard", emailId, providerMessageId: "re-1", recipient: "a@example.com", externalId: "msg_1", diagnostic: "smtp; 550 5.1.1 user unknown" }),
    ]);
    expect(parse(resendEvent("email.delivered", fields))[0]).toMatchObject({ type: "delivered" });
    expect(parse(resendEvent("email.complained", fields))[0]).toMatchObject({ type: "complained" });
    expect(parse(resendEvent("email.opened", fields))[0]).toMatchObject({ type: "opened" });
    expect(parse(resendEvent("email.clicked", fields))[0]).toMatchObject({ type: "clicked", url: "https://example.com/x" });
    expect(parse(resendEvent("email.delivery_delayed", fields))).toEqual([]);
    expect(parse({ type: "contact.updated", data: { unsubscribed: true, email: "a@example.com" } })).toEqual([]);
    expect(parse(resendEvent("email.delivered", { ...fields, tags: [{ name: "courierx_email_id", value: emailId }] as never }))[0]!.emailId).toBe(emailId);
    expect(() => parse({ data: {} })).toThrow(expect.objectContaining({ kind: "malformed" }));
  });
});
