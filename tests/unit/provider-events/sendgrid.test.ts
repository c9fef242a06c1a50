/**
 * Our SendGrid verification against SendGrid's own library (@sendgrid/eventwebhook, an independent ECDSA
 * implementation) and SendGrid's published test vector; the batch normalization.
 */
import { EventWebhook } from "@sendgrid/eventwebhook";
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { parseSendgridEvents, SENDGRID_MAX_BATCH, verifySendgridSignature } from "@/server/services/provider-events/sendgrid";
import type { WebhookRequest } from "@/server/services/provider-events/shared";
import { sendgridBody, sendgridEvent, sendgridSigner, type SignedWebhook } from "../../emulators/events";

function request(signed: SignedWebhook, now = new Date()): WebhookRequest {
  return { rawBody: Buffer.from(signed.body, "utf8"), headers: new Headers(signed.headers), now };
}

/** SendGrid's library on the same bytes: the independent opinion. */
function sendgridLibraryAccepts(publicKey: string, signed: SignedWebhook): boolean {
  const ew = new EventWebhook();
  const key = ew.convertPublicKeyToECDSA(`-----BEGIN PUBLIC KEY-----\n${publicKey}\n-----END PUBLIC KEY-----`);
  return ew.verifySignature(key, signed.body, signed.headers["x-twilio-email-event-webhook-signature"]!, signed.headers["x-twilio-email-event-webhook-timestamp"]!);
}

function ours(publicKey: string, signed: SignedWebhook, now?: Date): boolean {
  try {
    verifySendgridSignature(request(signed, now), publicKey);
    return true;
  } catch {
    return false;
  }
}

describe("SendGrid event webhook verification", () => {
  it("agrees with @sendgrid/eventwebhook on signed, tampered and re-signed batches", () => {
    const signer = sendgridSigner();
    const other = sendgridSigner();
    const events = [sendgridEvent("delivered", { email: "a@example.com" }), sendgridEvent("open", { email: "a@example.com" })];
    const good = signer.sign(events);
    expect(good.body).toContain(",\r\n");
    expect(good.body.endsWith("]\r\n")).toBe(true);
    const tampered = { ...good, body: good.body.replace("a@example.com", "b@example.com") };
    const reserialized = { ...good, body: JSON.stringify(JSON.parse(good.body)) };
    const wrongKey = other.sign(events);
    const otherTimestamp = { ...good, headers: { ...good.headers, "x-twilio-email-event-webhook-timestamp": String(Number(good.headers["x-twilio-email-event-webhook-timestamp"]) + 1) } };
    const cases: [SignedWebhook, boolean][] = [
      [good, true],
      [tampered, false],
      [reserialized, false],
      [wrongKey, false],
      [otherTimestamp, false],
    ];
    for (const [signed, expected] of cases) {
      expect(sendgridLibraryAccepts(signer.publicKey, signed)).toBe(expected);
      expect(ours(signer.publicKey, signed)).toBe(expected);
    }
  });

  it("accepts SendGrid's published test vector (at its own time) and refuses it now as stale", () => {
    const publicKey = "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE83T4O/n84iotIvIW4mdBgQ/7dAfSmpqIM8kF9mN1flpVKS3GRqe62gw+2fNNRaINXvVpiglSI8eNEc6wEA3F+g==";
    const body =
      JSON.stringify([
        {
          email: "hello@world.com",
          event: "dropped",
          reason: "Bounced Address",
          sg_event_id: "ZHJvcC0xMDk5NDkxOS1MUnpYbF9OSFN0T0doUTRrb2ZTbV9BLTA",
          sg_message_id: "LRzXl_NHStOGhQ4kofSm_A.filterdrecv-p3mdw1-756b745b58-kmzbl-18-5F5FC76C-9.0",
          "smtp-id": "<LRzXl_NHStOGhQ4kofSm_A@ismtpd0039p1iad1.sendgrid.net>",
          timestamp: 1600112492,
        },
      ]) + "\r\n";
    const signed = {
      body,
      headers: { "x-twilio-email-event-webhook-signature": "MEUCIGHQVtGj+Y3LkG9fLcxf3qfI10QysgDWmMOVmxG0u6ZUAiEAyBiXDWzM+uOe5W0JuG+luQAbPIqHh89M15TluLtEZtM=", "x-twilio-email-event-webhook-timestamp": "1600112502" },
    };
    expect(sendgridLibraryAccepts(publicKey, signed)).toBe(true);
    expect(ours(publicKey, signed, new Date(1600112502_000 + 60_000))).toBe(true);
    expect(ours(publicKey, signed)).toBe(false);
    // A drop for an address SendGrid holds as bounced is a hard bounce, with the message id before the first dot.
    expect(parseSendgridEvents(request(signed, new Date(1600112502_000)))).toEqual([
      expect.objectContaining({ type: "bounced", bounceType: "hard", providerMessageId: "LRzXl_NHStOGhQ4kofSm_A", recipient: "hello@world.com", externalId: "ZHJvcC0xMDk5NDkxOS1MUnpYbF9OSFN0T0doUTRrb2ZTbV9BLTA" }),
    ]);
  });

  it("refuses missing headers, no configured key, a timestamp outside 10 minutes either way, and a non-DER signature", () => {
    const signer = sendgridSigner();
    const events = [sendgridEvent("delivered", { email: "a@example.com" })];
    const now = Math.floor(Date.now() / 1000);
    expect(ours(signer.publicKey, { ...signer.sign(events), headers: { "content-type": "application/json" } })).toBe(false);
    expect(() => verifySendgridSignature(request(signer.sign(events)), undefined)).toThrow(/no webhook_signing_key/);
    expect(ours(signer.publicKey, signer.sign(events, { timestamp: now - 11 * 60 }))).toBe(false);
    expect(ours(signer.publicKey, signer.sign(events, { timestamp: now + 11 * 60 }))).toBe(false);
    expect(ours(signer.publicKey, signer.sign(events, { timestamp: now - 9 * 60 }))).toBe(true);
    const junk = signer.sign(events);
    junk.headers["x-twilio-email-event-webhook-signature"] = "bm90IGEgc2lnbmF0dXJl";
    expect(ours(signer.publicKey, junk)).toBe(false);
  });
});

describe("SendGrid event normalization", () => {
  const emailId = randomUUID();
  const parse = (events: Record<string, unknown>[]) => parseSendgridEvents({ rawBody: Buffer.from(sendgridBody(events)), headers: new Headers(), now: new Date() });

  it("maps every kind SendGrid sends, reads custom_args and ignores processed/deferred/resubscribes", () => {
    const at = Math.floor(Date.now() / 1000) - 30;
    const common = { email: "A@Example.com", messageId: "abc123XYZ", customArgs: { courierx_email_id: emailId }, timestamp: at };
    const events = parse([
      sendgridEvent("processed", common),
      sendgridEvent("deferred", { ...common, response: "400 try later", attempt: "1" }),
      sendgridEvent("delivered", { ...common, response: "250 OK" }),
      sendgridEvent("bounce", { ...common, type: "bounce", status: "5.1.1", reason: "550 5.1.1 user unknown" }),
      sendgridEvent("bounce", { ...common, type: "blocked", status: "4.0.0", reason: "blocked by policy" }),
      sendgridEvent("open", { ...common, useragent: "Mozilla/5.0", ip: "192.0.2.1" }),
      sendgridEvent("click", { ...common, url: "https://example.com/x" }),
      sendgridEvent("spamreport", common),
      sendgridEvent("unsubscribe", common),
      sendgridEvent("group_unsubscribe", { ...common, asm_group_id: 42 }),
      sendgridEvent("group_resubscribe", { ...common, asm_group_id: 42 }),
      sendgridEvent("dropped", { ...common, reason: "Unsubscribed Address" }),
      sendgridEvent("dropped", { ...common, reason: "Invalid SMTPAPI header" }),
    ]);
    expect(events.map((e) => [e.type, e.bounceType])).toEqual([
      ["delivered", undefined],
      ["bounced", "hard"],
      ["bounced", "soft"],
      ["opened", undefined],
      ["clicked", undefined],
      ["complained", undefined],
      ["unsubscribed", undefined],
      ["unsubscribed", undefined],
      ["unsubscribed", undefined],
    ]);
    for (const e of events) expect(e).toMatchObject({ emailId, providerMessageId: "abc123XYZ", recipient: "a@example.com", occurredAt: new Date(at * 1000) });
    expect(events[1]!.diagnostic).toBe("5.1.1 550 5.1.1 user unknown");
    expect(events[3]).toMatchObject({ userAgent: "Mozilla/5.0", ip: "192.0.2.1" });
    expect(events[4]!.url).toBe("https://example.com/x");
    expect(new Set(events.map((e) => e.externalId)).size).toBe(events.length);
  });

  it("survives junk: non-objects, NUL bytes, a forged email id, absurd times, no event id; refuses non-arrays and huge batches", () => {
    const events = parse([
      null as unknown as Record<string, unknown>,
      [1, 2] as unknown as Record<string, unknown>,
      { event: "delivered", email: "x@example.com", timestamp: 1 },
      { event: "delivered", email: "a\u0000b@example.com", sg_event_id: "e1", courierx_email_id: "not-a-uuid'; DROP TABLE", timestamp: 99999999999999, sg_message_id: "\ud800" },
    ]);
    expect(events).toHaveLength(1);
    expect(events[0]!.recipient).toBe("ab@example.com");
    expect(events[0]!.emailId).toBeUndefined();
    expect(events[0]!.providerMessageId).toBeUndefined();
    expect(Math.abs(events[0]!.occurredAt.getTime() - Date.now())).toBeLessThan(5000);
    const req = (body: string) => ({ rawBody: Buffer.from(body), headers: new Headers(), now: new Date() });
    expect(() => parseSendgridEvents(req('{"event":"delivered"}'))).toThrow(expect.objectContaining({ kind: "malformed" }));
    expect(() => parseSendgridEvents(req("nope"))).toThrow(expect.objectContaining({ kind: "malformed" }));
    expect(() => parseSendgridEvents(req(JSON.stringify(new Array(SENDGRID_MAX_BATCH + 1).fill({}))))).toThrow(expect.objectContaining({ kind: "too_large" }));
  });
});
