/**
 * A local stand-in for Amazon SNS delivering SES events over HTTP(S) (PROVIDERS.md 2.5): an RSA signing
 * key with a self-signed certificate made at start (openssl), an HTTPS server (the emulators' localhost
 * certificate) that serves that certificate and answers SubscribeURLs (recording each confirmation), and
 * messages signed exactly as SNS signs them (SignatureVersion 1 = SHA1, 2 = SHA256 over the canonical
 * string). Messages name real SNS URLs (https://sns.<region>.amazonaws.com/…); `transport` is what the app
 * is given in tests instead of the internet, and maps those URLs onto this server.
 */
import { execFileSync } from "node:child_process";
import { createSign, randomBytes, randomUUID } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import https from "node:https";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import type { SnsHttp } from "@/server/services/provider-events/sns-http";
import type { SignedWebhook } from "./types";

const CERTS = path.resolve(import.meta.dirname, "../certs");
/** The emulators' own TLS certificate (CN/SAN localhost, 127.0.0.1): what a client of this server must trust. */
export const STAND_IN_CA = readFileSync(path.join(CERTS, "localhost-cert.pem"), "utf8");

export interface SigningIdentity {
  privateKeyPem: string;
  certificatePem: string;
}

/** A fresh RSA key and self-signed certificate, as SNS's signing certificate stands in for. */
export function makeSigningIdentity(days = 2): SigningIdentity {
  const dir = mkdtempSync(path.join(tmpdir(), "sns-standin-"));
  try {
    const key = path.join(dir, "key.pem");
    const cert = path.join(dir, "cert.pem");
    execFileSync("openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert, "-days", String(days), "-subj", "/CN=sns.amazonaws.com"], { stdio: "ignore" });
    return { privateKeyPem: readFileSync(key, "utf8"), certificatePem: readFileSync(cert, "utf8") };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export interface SnsFields {
  Type: "Notification" | "SubscriptionConfirmation" | "UnsubscribeConfirmation";
  MessageId: string;
  TopicArn: string;
  Message: string;
  Timestamp: string;
  SignatureVersion: "1" | "2";
  SigningCertURL: string;
  Subject?: string;
  SubscribeURL?: string;
  Token?: string;
  UnsubscribeURL?: string;
}

const SIGNED_KEYS = ["Message", "MessageId", "Subject", "SubscribeURL", "Timestamp", "Token", "TopicArn", "Type"] as const;

/** Signs as SNS does: RSA-SHA1 (v1) or RSA-SHA256 (v2) over `key\nvalue\n` of each present signed key. */
export function signSnsMessage(fields: SnsFields, privateKeyPem: string): SnsFields & { Signature: string } {
  const signer = createSign(fields.SignatureVersion === "1" ? "RSA-SHA1" : "RSA-SHA256");
  for (const key of SIGNED_KEYS) if (fields[key] !== undefined) signer.update(`${key}\n${fields[key]}\n`, "utf8");
  return { ...fields, Signature: signer.sign(privateKeyPem, "base64") };
}

export interface SnsStandIn {
  region: string;
  identity: SigningIdentity;
  /** The https://sns.<region>.amazonaws.com/….pem URL messages name. */
  certUrl: string;
  /** Requests the app made to this server (through `transport`): path and query. */
  requests: string[];
  /** SubscribeURL tokens confirmed, in order. */
  confirmations: string[];
  /** The app's SNS HTTPS calls in tests: real SNS URLs answered by this server. */
  transport: SnsHttp;
  /** This server's own URL for a path (for clients that fetch directly, such as sns-validator). */
  localUrl(pathAndQuery: string): string;
  notification(topicArn: string, message: unknown, options?: MessageOptions): SignedWebhook & { message: SnsFields & { Signature: string } };
  subscriptionConfirmation(topicArn: string, options?: MessageOptions): SignedWebhook & { message: SnsFields & { Signature: string } };
  /** Any fields, signed as given (for tampering and odd cases). */
  deliver(fields: SnsFields, options?: { signWith?: string }): SignedWebhook & { message: SnsFields & { Signature: string } };
  stop(): Promise<void>;
}

export interface MessageOptions {
  signatureVersion?: "1" | "2";
  timestamp?: Date;
  messageId?: string;
  certUrl?: string;
  /** Another private key (a forger's): the signature will not match the certificate. */
  signWith?: string;
}

export async function startSnsStandIn(options: { region?: string } = {}): Promise<SnsStandIn> {
  const region = options.region ?? "us-east-1";
  const identity = makeSigningIdentity();
  const certName = `SimpleNotificationService-${randomBytes(16).toString("hex")}.pem`;
  const requests: string[] = [];
  const confirmations: string[] = [];
  const server = https.createServer({ cert: STAND_IN_CA, key: readFileSync(path.join(CERTS, "localhost-key.pem")) }, (req, res) => {
    const url = new URL(req.url ?? "/", "https://localhost");
    requests.push(url.pathname + url.search);
    if (req.method === "GET" && url.pathname === `/${certName}`) {
      res.writeHead(200, { "content-type": "application/x-x509-ca-cert" }).end(identity.certificatePem);
      return;
    }
    if (req.method === "GET" && url.pathname === "/" && url.searchParams.get("Action") === "ConfirmSubscription" && url.searchParams.get("Token")) {
      confirmations.push(url.searchParams.get("Token")!);
      res.writeHead(200, { "content-type": "text/xml" }).end(
        `<ConfirmSubscriptionResponse><ConfirmSubscriptionResult><SubscriptionArn>${url.searchParams.get("TopicArn")}:${randomUUID()}</SubscriptionArn></ConfirmSubscriptionResult></ConfirmSubscriptionResponse>`,
      );
      return;
    }
    res.writeHead(404).end("Not Found");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  const localUrl = (pathAndQuery: string) => `https://localhost:${port}${pathAndQuery}`;
  const snsOrigin = `https://sns.${region}.amazonaws.com`;
  const certUrl = `${snsOrigin}/${certName}`;

  const transport: SnsHttp = (url) =>
    new Promise((resolve, reject) => {
      const req = https.get(localUrl(url.pathname + url.search), { ca: STAND_IN_CA, timeout: 5000 }, (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") }));
        res.on("error", reject);
      });
      req.on("error", reject);
    });

  function deliver(fields: SnsFields, deliverOptions: { signWith?: string } = {}) {
    const message = signSnsMessage(fields, deliverOptions.signWith ?? identity.privateKeyPem);
    return {
      message,
      body: JSON.stringify(message),
      headers: {
        // SNS posts JSON as text/plain.
        "content-type": "text/plain; charset=UTF-8",
        "x-amz-sns-message-type": fields.Type,
        "x-amz-sns-message-id": fields.MessageId,
        "x-amz-sns-topic-arn": fields.TopicArn,
        "user-agent": "Amazon Simple Notification Service Agent",
      },
    };
  }

  const common = (topicArn: string, o: MessageOptions) => ({
    MessageId: o.messageId ?? randomUUID(),
    TopicArn: topicArn,
    Timestamp: (o.timestamp ?? new Date()).toISOString(),
    SignatureVersion: o.signatureVersion ?? "2",
    SigningCertURL: o.certUrl ?? certUrl,
  });

  return {
    region,
    identity,
    certUrl,
    requests,
    confirmations,
    transport,
    localUrl,
    deliver,
    notification: (topicArn, message, o = {}) =>
      deliver(
        {
          Type: "Notification",
          ...common(topicArn, o),
          Subject: "Amazon SES Email Event Notification",
          Message: typeof message === "string" ? message : JSON.stringify(message),
          UnsubscribeURL: `${snsOrigin}/?Action=Unsubscribe&SubscriptionArn=${encodeURIComponent(topicArn)}:${randomUUID()}`,
        },
        { signWith: o.signWith },
      ),
    subscriptionConfirmation: (topicArn, o = {}) => {
      const token = randomBytes(64).toString("hex");
      return deliver(
        {
          Type: "SubscriptionConfirmation",
          ...common(topicArn, o),
          Token: token,
          Message: `You have chosen to subscribe to the topic ${topicArn}.\nTo confirm the subscription, visit the SubscribeURL included in this message.`,
          SubscribeURL: `${snsOrigin}/?Action=ConfirmSubscription&TopicArn=${encodeURIComponent(topicArn)}&Token=${token}`,
        },
        { signWith: o.signWith },
      );
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The SES event JSON SNS carries in `Message` (PROVIDERS.md 2.5), for a message sent with EmailTags. */
export function sesEvent(eventType: string, fields: { recipient: string; messageId: string; tags?: Record<string, string>; detail?: Record<string, unknown> }): Record<string, unknown> {
  const now = new Date().toISOString();
  const mail = {
    timestamp: new Date(Date.now() - 5000).toISOString(),
    messageId: fields.messageId,
    source: "s@example.com",
    sourceArn: "arn:aws:ses:us-east-1:123456789012:identity/example.com",
    sendingAccountId: "123456789012",
    destination: [fields.recipient],
    headersTruncated: false,
    tags: { "ses:configuration-set": ["cs1"], ...Object.fromEntries(Object.entries(fields.tags ?? {}).map(([k, v]) => [k, [v]])) },
  };
  const sections: Record<string, Record<string, unknown>> = {
    Bounce: {
      bounce: {
        bounceType: "Permanent",
        bounceSubType: "General",
        bouncedRecipients: [{ emailAddress: fields.recipient, action: "failed", status: "5.1.1", diagnosticCode: "smtp; 550 5.1.1 user unknown" }],
        timestamp: now,
        feedbackId: "0100-000000",
        reportingMTA: "dns; a1-1.smtp-out.amazonses.com",
      },
    },
    Complaint: { complaint: { complainedRecipients: [{ emailAddress: fields.recipient }], complaintFeedbackType: "abuse", timestamp: now, feedbackId: "0100-000001" } },
    Delivery: { delivery: { timestamp: now, recipients: [fields.recipient], smtpResponse: "250 ok", processingTimeMillis: 2000, reportingMTA: "a8-70.smtp-out.amazonses.com" } },
    Open: { open: { ipAddress: "192.0.2.1", timestamp: now, userAgent: "Mozilla/5.0" } },
    Click: { click: { ipAddress: "192.0.2.1", link: "https://example.com/x", linkTags: {}, timestamp: now, userAgent: "Mozilla/5.0" } },
  };
  return { eventType, ...(sections[eventType] ?? {}), ...fields.detail, mail };
}
