/**
 * SES events through SNS (PROVIDERS.md 2.5). SNS signs each message with RSA (SignatureVersion 1: SHA1,
 * 2: SHA256) over a canonical string of its fields, with the certificate at SigningCertURL, which must be
 * an https URL on an SNS host. A valid signature proves the message came from SNS, not from the customer's
 * topic, so TopicArn is pinned to the connection's sns_topic_arn. Subscription confirmations are confirmed
 * by GETting their SubscribeURL once verified; notifications carry the SES event JSON in `Message`.
 */
import { createVerify, X509Certificate, type KeyObject } from "node:crypto";
import type { ProviderEvent } from "../events/event-types";
import { emailIdOf, type EventFields, occurredAt, parseJsonBody, providerEvent, record, text, unauthorized, WebhookRefusal } from "./shared";
import { snsGet } from "./sns-http";

export type SnsMessageType = "Notification" | "SubscriptionConfirmation" | "UnsubscribeConfirmation";

export interface SnsMessage {
  Type: SnsMessageType;
  MessageId: string;
  TopicArn: string;
  Message: string;
  Timestamp: string;
  Signature: string;
  SignatureVersion: "1" | "2";
  SigningCertURL: string;
  Subject?: string;
  SubscribeURL?: string;
  Token?: string;
}

const TYPES = new Set<string>(["Notification", "SubscriptionConfirmation", "UnsubscribeConfirmation"]);
/** SNS retries a delivery for up to an hour by default; an older message is a replay. */
export const SNS_MAX_AGE_MS = 60 * 60_000;
const SNS_HOST = /^sns\.[a-z0-9-]{3,}\.amazonaws\.com(\.cn)?$/;
const SIGNED_KEYS = ["Message", "MessageId", "Subject", "SubscribeURL", "Timestamp", "Token", "TopicArn", "Type"] as const;

/** SNS's signing certificates: one name shape, no query (a query would make every forged message a new fetch). */
const CERT_PATH = /^\/SimpleNotificationService-[0-9a-f]+\.pem$/;

/**
 * An https URL on an SNS host (no credentials, no port but 443). A certificate URL must also be the SNS
 * certificate path on the host of the topic's own region (`region`).
 */
export function isSnsUrl(value: string, options: { pem?: boolean; region?: string } = {}): URL | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return undefined;
  }
  if (url.protocol !== "https:" || url.username || url.password || url.port !== "" || !SNS_HOST.test(url.hostname)) return undefined;
  if (options.pem && (!CERT_PATH.test(url.pathname) || url.search !== "" || url.hash !== "")) return undefined;
  if (options.region !== undefined && !url.hostname.startsWith(`sns.${options.region}.amazonaws.com`)) return undefined;
  return url;
}

/** The canonical string SNS signs: each present key of SIGNED_KEYS, in that order, as `key\nvalue\n`. */
export function snsStringToSign(message: SnsMessage): string {
  return SIGNED_KEYS.filter((k) => typeof message[k] === "string").map((k) => `${k}\n${message[k]}\n`).join("");
}

/** Reads the envelope's fields; anything missing or of the wrong type is an unsigned request. */
export function parseSnsEnvelope(raw: Buffer): SnsMessage {
  let body: Record<string, unknown> | undefined;
  try {
    body = record(parseJsonBody(raw));
  } catch {
    body = undefined;
  }
  if (!body) throw unauthorized("body is not an SNS message");
  const required = ["Type", "MessageId", "TopicArn", "Message", "Timestamp", "Signature", "SignatureVersion", "SigningCertURL"];
  if (!required.every((k) => typeof body[k] === "string")) throw unauthorized("SNS message fields missing");
  if (!TYPES.has(body.Type as string)) throw unauthorized(`unknown SNS message type`);
  if (body.SignatureVersion !== "1" && body.SignatureVersion !== "2") throw unauthorized("unsupported SignatureVersion");
  for (const optional of ["Subject", "SubscribeURL", "Token"]) {
    if (body[optional] !== undefined && body[optional] !== null && typeof body[optional] !== "string") throw unauthorized(`${optional} is not a string`);
  }
  // Lambda-style null Subject means no Subject: it is then not part of the signed string.
  if (body.Subject === null) delete body.Subject;
  return body as unknown as SnsMessage;
}

/** Throws `unauthorized` unless the message is from SNS, recent, signed, and from the pinned topic. */
export async function verifySnsMessage(message: SnsMessage, pinnedTopicArn: string | undefined, now: Date): Promise<void> {
  if (!pinnedTopicArn) throw unauthorized("no sns_topic_arn configured");
  if (message.TopicArn !== pinnedTopicArn) throw unauthorized("message from another topic");
  const sentAt = Date.parse(message.Timestamp);
  if (!Number.isFinite(sentAt) || now.getTime() - sentAt > SNS_MAX_AGE_MS || sentAt - now.getTime() > 5 * 60_000) throw unauthorized("stale or malformed Timestamp");
  // arn:aws:sns:<region>:<account>:<name>: the certificate comes from that region's SNS host.
  const certUrl = isSnsUrl(message.SigningCertURL, { pem: true, region: message.TopicArn.split(":")[3] ?? "" });
  if (!certUrl) throw unauthorized("SigningCertURL is not an SNS certificate URL");
  const key = await signingKey(certUrl, now);
  const verifier = createVerify(message.SignatureVersion === "1" ? "RSA-SHA1" : "RSA-SHA256");
  verifier.update(snsStringToSign(message), "utf8");
  let valid = false;
  try {
    valid = verifier.verify(key, message.Signature, "base64");
  } catch {
    valid = false;
  }
  if (!valid) throw unauthorized("signature does not verify");
}

const CERT_TTL_MS = 24 * 3_600_000;
const MAX_CACHED_CERTS = 50;
const certificates = new Map<string, { key: KeyObject; until: number }>();
/** One fetch per URL at a time: concurrent messages naming a certificate not yet cached wait for the same one. */
const fetching = new Map<string, Promise<KeyObject>>();

/** The public key of the certificate at `url`, fetched once a day at most (SNS rotates them rarely). */
async function signingKey(url: URL, now: Date): Promise<KeyObject> {
  const cached = certificates.get(url.href);
  if (cached && cached.until > now.getTime()) return cached.key;
  const inFlight = fetching.get(url.href);
  if (inFlight) return inFlight;
  const fetched = fetchSigningKey(url, now).finally(() => fetching.delete(url.href));
  fetching.set(url.href, fetched);
  return fetched;
}

async function fetchSigningKey(url: URL, now: Date): Promise<KeyObject> {
  let res;
  try {
    res = await snsGet(url);
  } catch (error) {
    throw new WebhookRefusal("upstream", `signing certificate could not be fetched: ${error instanceof Error ? error.message : "unknown"}`);
  }
  if (res.status !== 200) throw new WebhookRefusal("upstream", `signing certificate answered ${res.status}`);
  let certificate: X509Certificate;
  try {
    certificate = new X509Certificate(res.body);
  } catch {
    throw unauthorized("SigningCertURL did not serve a certificate");
  }
  if (Date.parse(certificate.validTo) < now.getTime() || Date.parse(certificate.validFrom) > now.getTime()) throw unauthorized("signing certificate is not valid now");
  if (certificates.size >= MAX_CACHED_CERTS) certificates.delete(certificates.keys().next().value!);
  certificates.set(url.href, { key: certificate.publicKey, until: now.getTime() + CERT_TTL_MS });
  return certificate.publicKey;
}

export function clearSnsCertificateCache(): void {
  certificates.clear();
}

/** Confirms a verified SubscriptionConfirmation by GETting its SubscribeURL (an SNS URL, checked here). */
export async function confirmSnsSubscription(message: SnsMessage): Promise<void> {
  const url = message.SubscribeURL ? isSnsUrl(message.SubscribeURL, { region: message.TopicArn.split(":")[3] ?? "" }) : undefined;
  if (!url) throw unauthorized("SubscribeURL is not an SNS URL");
  let res;
  try {
    res = await snsGet(url);
  } catch (error) {
    throw new WebhookRefusal("upstream", `subscription confirmation failed: ${error instanceof Error ? error.message : "unknown"}`);
  }
  if (res.status !== 200) throw new WebhookRefusal("upstream", `subscription confirmation answered ${res.status}`);
}

const MAX_RECIPIENTS = 50;

/**
 * The SES events of a verified Notification. A Message that is not JSON (the "Successfully validated SNS
 * topic" note SES sends when the destination is set up) or an event type we do not act on (Send, Reject,
 * DeliveryDelay: SES is still trying, Rendering Failure) yields none.
 */
export function parseSesNotification(message: SnsMessage, now: Date): ProviderEvent[] {
  let ses: Record<string, unknown> | undefined;
  try {
    ses = record(JSON.parse(message.Message));
  } catch {
    return [];
  }
  if (!ses) return [];
  const mail = record(ses.mail);
  const destination = Array.isArray(mail?.destination) ? mail.destination : [];
  const base = {
    emailId: emailIdOf(record(mail?.tags)?.courierx_email_id),
    providerMessageId: mail?.messageId,
  };
  /** One event per recipient; the SNS MessageId is the event id, with the recipient when there are several. */
  const perRecipient = (recipients: unknown[], build: (recipient: unknown, index: number) => Omit<EventFields, "externalId" | "emailId" | "providerMessageId" | "recipient">) => {
    const list = recipients.slice(0, MAX_RECIPIENTS);
    return list.map((recipient, i) =>
      providerEvent({ ...base, ...build(recipient, i), recipient, externalId: list.length === 1 ? message.MessageId : `${message.MessageId}:${text(recipient, 320) ?? i}` }),
    );
  };
  const at = (section: Record<string, unknown> | undefined) => occurredAt(section?.timestamp, now);
  switch (ses.eventType ?? ses.notificationType) {
    case "Bounce": {
      const bounce = record(ses.bounce);
      const bounceType = bounce?.bounceType === "Permanent" ? "hard" : "soft";
      const recipients = Array.isArray(bounce?.bouncedRecipients) ? bounce.bouncedRecipients : [];
      return perRecipient(
        recipients.map((r) => record(r)?.emailAddress),
        (_, i) => ({ type: "bounced", bounceType, occurredAt: at(bounce), diagnostic: text(record(recipients[i])?.diagnosticCode) ?? text(record(recipients[i])?.status) ?? text(bounce?.bounceSubType) }),
      );
    }
    case "Complaint": {
      const complaint = record(ses.complaint);
      const recipients = Array.isArray(complaint?.complainedRecipients) ? complaint.complainedRecipients : [];
      return perRecipient(
        recipients.map((r) => record(r)?.emailAddress),
        () => ({ type: "complained", occurredAt: at(complaint), diagnostic: complaint?.complaintFeedbackType, userAgent: complaint?.userAgent }),
      );
    }
    case "Delivery": {
      const delivery = record(ses.delivery);
      const recipients = Array.isArray(delivery?.recipients) ? delivery.recipients : [];
      return perRecipient(recipients, () => ({ type: "delivered", occurredAt: at(delivery), diagnostic: delivery?.smtpResponse }));
    }
    case "Open": {
      const open = record(ses.open);
      return perRecipient(destination.slice(0, 1), () => ({ type: "opened", occurredAt: at(open), userAgent: open?.userAgent, ip: open?.ipAddress }));
    }
    case "Click": {
      const click = record(ses.click);
      return perRecipient(destination.slice(0, 1), () => ({ type: "clicked", occurredAt: at(click), url: click?.link, userAgent: click?.userAgent, ip: click?.ipAddress }));
    }
    case "Subscription": {
      const subscription = record(ses.subscription);
      if (record(subscription?.newTopicPreferences)?.unsubscribeAll !== true) return [];
      return perRecipient(destination.slice(0, 1), () => ({ type: "unsubscribed", occurredAt: at(subscription), diagnostic: subscription?.contactList }));
    }
    default:
      return [];
  }
}
