/**
 * Our SNS verification against AWS's own validator (sns-validator) on the same signed messages, the URL
 * and topic rules around it, and the SES event normalization.
 */
import https from "node:https";
import { randomUUID } from "node:crypto";
import MessageValidator from "sns-validator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clearSnsCertificateCache, isSnsUrl, parseSesNotification, parseSnsEnvelope, verifySnsMessage, type SnsMessage } from "@/server/services/provider-events/aws-ses";
import { setSnsHttpForTests } from "@/server/services/provider-events/sns-http";
import { makeSigningIdentity, sesEvent, STAND_IN_CA, startSnsStandIn, type SnsStandIn } from "../../emulators/events";

const TOPIC = "arn:aws:sns:us-east-1:123456789012:ses-events";
let standIn: SnsStandIn;
let restore: () => void;
let previousCa: unknown;

beforeAll(async () => {
  standIn = await startSnsStandIn();
  restore = setSnsHttpForTests(standIn.transport);
  // sns-validator fetches the certificate itself with https.get: let it trust the stand-in.
  previousCa = https.globalAgent.options.ca;
  https.globalAgent.options.ca = STAND_IN_CA;
});

afterAll(async () => {
  https.globalAgent.options.ca = previousCa as string | undefined;
  restore();
  await standIn.stop();
});

/** AWS's validator on the message, its certificate URL pointed at the stand-in (SigningCertURL is not signed). */
async function awsValidatorAccepts(message: object): Promise<boolean> {
  const local = { ...message, SigningCertURL: standIn.localUrl(new URL(String((message as { SigningCertURL: string }).SigningCertURL)).pathname) };
  return new Promise((resolve) => new MessageValidator(/^localhost:\d+$/).validate(local, (error) => resolve(!error)));
}

async function oursAccepts(message: object, topic = TOPIC, now = new Date()): Promise<boolean> {
  try {
    await verifySnsMessage(parseSnsEnvelope(Buffer.from(JSON.stringify(message))), topic, now);
    return true;
  } catch {
    return false;
  }
}

describe("SNS message verification", () => {
  it("agrees with sns-validator on SignatureVersion 1 and 2, notifications and subscription confirmations, signed and tampered", async () => {
    const forger = makeSigningIdentity();
    const messages = [
      standIn.notification(TOPIC, sesEvent("Delivery", { recipient: "a@example.com", messageId: "m-1" }), { signatureVersion: "1" }).message,
      standIn.notification(TOPIC, sesEvent("Bounce", { recipient: "a@example.com", messageId: "m-2" }), { signatureVersion: "2" }).message,
      standIn.subscriptionConfirmation(TOPIC, { signatureVersion: "1" }).message,
      standIn.subscriptionConfirmation(TOPIC, { signatureVersion: "2" }).message,
    ];
    const withoutSubject: Record<string, unknown> = { ...messages[1]! };
    delete withoutSubject.Subject;
    const cases: [object, boolean][] = [
      ...messages.map((m): [object, boolean] => [m, true]),
      [{ ...messages[0]!, Message: messages[0]!.Message.replace("a@example.com", "b@example.com") }, false],
      [{ ...messages[1]!, Timestamp: new Date(Date.now() - 1000).toISOString() }, false],
      [withoutSubject, false],
      [{ ...messages[2]!, Token: "0".repeat(128) }, false],
      [{ ...messages[3]!, SubscribeURL: "https://sns.us-east-1.amazonaws.com/?Action=ConfirmSubscription&Token=other" }, false],
      [{ ...messages[1]!, SignatureVersion: "1" }, false],
      [standIn.notification(TOPIC, "x", { signWith: forger.privateKeyPem }).message, false],
    ];
    for (const [message, expected] of cases) {
      expect(await awsValidatorAccepts(message), JSON.stringify(message).slice(0, 80)).toBe(expected);
      expect(await oursAccepts(message), JSON.stringify(message).slice(0, 80)).toBe(expected);
    }
  });

  it("pins the topic, refuses stale and future timestamps, a missing topic setting, and non-SNS certificate URLs", async () => {
    const message = standIn.notification(TOPIC, "hello").message;
    expect(await oursAccepts(message)).toBe(true);
    expect(await oursAccepts(message, "arn:aws:sns:us-east-1:123456789012:other-topic")).toBe(false);
    const other = standIn.notification("arn:aws:sns:us-east-1:999999999999:ses-events", "hello").message;
    expect(await awsValidatorAccepts(other)).toBe(true);
    expect(await oursAccepts(other)).toBe(false);
    await expect(verifySnsMessage(parseSnsEnvelope(Buffer.from(JSON.stringify(message))), undefined, new Date())).rejects.toMatchObject({ kind: "unauthorized" });
    expect(await oursAccepts(standIn.notification(TOPIC, "x", { timestamp: new Date(Date.now() - 61 * 60_000) }).message)).toBe(false);
    expect(await oursAccepts(standIn.notification(TOPIC, "x", { timestamp: new Date(Date.now() - 59 * 60_000) }).message)).toBe(true);
    expect(await oursAccepts(standIn.notification(TOPIC, "x", { timestamp: new Date(Date.now() + 10 * 60_000) }).message)).toBe(false);
    const before = standIn.requests.length;
    for (const certUrl of [
      "http://sns.us-east-1.amazonaws.com/cert.pem",
      "https://sns.us-east-1.amazonaws.com.evil.example/cert.pem",
      "https://evil.example/sns.us-east-1.amazonaws.com/cert.pem",
      "https://sns.us-east-1.amazonaws.com/cert.txt",
      "https://user@sns.us-east-1.amazonaws.com/cert.pem",
      "https://sns.us-east-1.amazonaws.com:8443/cert.pem",
      "https://127.0.0.1/cert.pem",
    ]) {
      expect(await oursAccepts(standIn.notification(TOPIC, "x", { certUrl }).message), certUrl).toBe(false);
    }
    // Refused before anything was fetched.
    expect(standIn.requests.length).toBe(before);
    expect(isSnsUrl("https://sns.cn-north-1.amazonaws.com.cn/SimpleNotificationService-0123abcd.pem", { pem: true, region: "cn-north-1" })).toBeTruthy();
    // Only SNS's certificate name, no query, and the topic's own region.
    expect(isSnsUrl("https://sns.cn-north-1.amazonaws.com.cn/x.pem", { pem: true })).toBeUndefined();
    expect(isSnsUrl("https://sns.us-east-1.amazonaws.com/SimpleNotificationService-0123abcd.pem?n=1", { pem: true })).toBeUndefined();
    expect(isSnsUrl("https://sns.eu-west-1.amazonaws.com/SimpleNotificationService-0123abcd.pem", { pem: true, region: "us-east-1" })).toBeUndefined();
  });

  it("fetches each certificate once and caches it", async () => {
    clearSnsCertificateCache();
    const fetches = () => standIn.requests.filter((r) => r.endsWith(".pem")).length;
    const before = fetches();
    for (let i = 0; i < 3; i++) expect(await oursAccepts(standIn.notification(TOPIC, `n${i}`).message)).toBe(true);
    expect(fetches() - before).toBe(1);
  });

  it("refuses envelopes that are not SNS messages", () => {
    for (const body of ["", "not json", "[]", "{}", JSON.stringify({ Type: "Notification" }), JSON.stringify({ ...standIn.notification(TOPIC, "x").message, Type: "Other" }), JSON.stringify({ ...standIn.notification(TOPIC, "x").message, SignatureVersion: "3" })]) {
      expect(() => parseSnsEnvelope(Buffer.from(body)), body).toThrow(expect.objectContaining({ kind: "unauthorized" }));
    }
  });
});

describe("SES event normalization", () => {
  const emailId = randomUUID();
  const tags = { courierx_email_id: emailId };
  const parse = (message: unknown) => parseSesNotification(standIn.notification(TOPIC, message).message as SnsMessage, new Date());

  it("maps Bounce (Permanent hard, Transient soft), Complaint, Delivery, Open, Click and unsubscribes; matches on the tag and mail.messageId", () => {
    const hard = parse(sesEvent("Bounce", { recipient: "A@example.com", messageId: "ses-1", tags }));
    expect(hard).toEqual([expect.objectContaining({ type: "bounced", bounceType: "hard", emailId, providerMessageId: "ses-1", recipient: "a@example.com", diagnostic: "smtp; 550 5.1.1 user unknown" })]);
    const transient = sesEvent("Bounce", { recipient: "a@example.com", messageId: "ses-1", tags });
    (transient.bounce as Record<string, unknown>).bounceType = "Transient";
    expect(parse(transient)[0]).toMatchObject({ type: "bounced", bounceType: "soft" });
    expect(parse(sesEvent("Complaint", { recipient: "a@example.com", messageId: "ses-1", tags }))[0]).toMatchObject({ type: "complained", diagnostic: "abuse" });
    expect(parse(sesEvent("Delivery", { recipient: "a@example.com", messageId: "ses-1", tags }))[0]).toMatchObject({ type: "delivered", diagnostic: "250 ok" });
    expect(parse(sesEvent("Open", { recipient: "a@example.com", messageId: "ses-1", tags }))[0]).toMatchObject({ type: "opened", ip: "192.0.2.1", recipient: "a@example.com" });
    expect(parse(sesEvent("Click", { recipient: "a@example.com", messageId: "ses-1", tags }))[0]).toMatchObject({ type: "clicked", url: "https://example.com/x" });
    const unsubscribe = sesEvent("Subscription", { recipient: "a@example.com", messageId: "ses-1", tags, detail: { subscription: { contactList: "news", timestamp: new Date().toISOString(), newTopicPreferences: { unsubscribeAll: true } } } });
    expect(parse(unsubscribe)[0]).toMatchObject({ type: "unsubscribed" });
    const identityLevel = { notificationType: "Bounce", ...sesEvent("Bounce", { recipient: "a@example.com", messageId: "ses-2" }), eventType: undefined };
    expect(parse(identityLevel)[0]).toMatchObject({ type: "bounced", providerMessageId: "ses-2" });
    expect(parse(identityLevel)[0]!.emailId).toBeUndefined();
  });

  it("gives one event per recipient with distinct ids, and ignores sends, delays, validation notes and junk", () => {
    const many = sesEvent("Delivery", { recipient: "a@example.com", messageId: "ses-3", tags });
    (many.delivery as Record<string, unknown>).recipients = ["a@example.com", "b@example.com"];
    const events = parse(many);
    expect(events.map((e) => e.recipient)).toEqual(["a@example.com", "b@example.com"]);
    expect(new Set(events.map((e) => e.externalId)).size).toBe(2);
    const single = standIn.notification(TOPIC, sesEvent("Delivery", { recipient: "a@example.com", messageId: "ses-3", tags }));
    expect(parseSesNotification(single.message as SnsMessage, new Date())[0]!.externalId).toBe(single.message.MessageId);
    for (const ignored of ["Successfully validated SNS topic for Amazon SES event publishing.", sesEvent("Send", { recipient: "a@example.com", messageId: "x" }), sesEvent("DeliveryDelay", { recipient: "a@example.com", messageId: "x" }), "[]", "null", { eventType: "Bounce" }]) {
      expect(parse(ignored)).toEqual([]);
    }
  });
});
