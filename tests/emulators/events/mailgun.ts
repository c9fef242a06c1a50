/**
 * Mailgun's JSON webhook (PROVIDERS.md 3.5): one event per POST with a `signature` object, HMAC-SHA256
 * (hex) of timestamp + token under the HTTP webhook signing key.
 */
import { createHmac, randomBytes } from "node:crypto";
import type { SignedWebhook } from "./types";

export interface MailgunSigner {
  signingKey: string;
  sign(eventData: Record<string, unknown>, options?: { timestamp?: number; token?: string }): SignedWebhook;
}

export function mailgunSigner(signingKey = `key-${randomBytes(16).toString("hex")}`): MailgunSigner {
  return {
    signingKey,
    sign(eventData, options = {}) {
      const timestamp = String(options.timestamp ?? Math.floor(Date.now() / 1000));
      const token = options.token ?? randomBytes(25).toString("hex");
      const signature = createHmac("sha256", signingKey).update(timestamp + token).digest("hex");
      return { body: JSON.stringify({ signature: { timestamp, token, signature }, "event-data": eventData }), headers: { "content-type": "application/json" } };
    },
  };
}

/** Mailgun's event-data for one event about a message sent with `v:` variables. */
export function mailgunEventData(
  event: string,
  fields: { recipient: string; messageId: string; variables?: Record<string, string>; severity?: string; reason?: string; timestamp?: number; [k: string]: unknown },
): Record<string, unknown> {
  const { recipient, messageId, variables = {}, timestamp = Date.now() / 1000, ...rest } = fields;
  return {
    event,
    id: randomBytes(16).toString("base64url"),
    timestamp,
    recipient,
    "recipient-domain": recipient.split("@")[1],
    tags: ["welcome"],
    "user-variables": variables,
    message: { headers: { "message-id": messageId, to: recipient, from: "s@mg.example.com", subject: "Hi" }, attachments: [], size: 809 },
    ...(event === "failed" ? { "delivery-status": { code: 550, message: "5.1.1 The email account that you tried to reach does not exist.", description: "", "attempt-no": 1, tls: true } } : {}),
    ...(event === "delivered" ? { "delivery-status": { code: 250, message: "OK", description: "", "attempt-no": 1, tls: true } } : {}),
    ...rest,
  };
}
