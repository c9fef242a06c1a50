/**
 * Standard Webhooks signing (https://www.standardwebhooks.com): `webhook-signature` carries
 * `v1,<base64 HMAC-SHA256 of "<webhook-id>.<webhook-timestamp>.<body>">` for each secret, keyed with the
 * base64-decoded part after `whsec_`, separated by spaces (during a rotation: the new secret's first).
 * A receiver verifies with any Standard Webhooks library (npm `standardwebhooks`) unchanged.
 */
import { createHmac } from "node:crypto";

export const WEBHOOK_USER_AGENT = "CourierX-Webhooks/1";

export interface SignedRequest {
  /** The `webhook-id`: the same on every attempt of a message, and on its replays. */
  messageId: string;
  /** Unix seconds of this attempt. */
  timestamp: number;
  /** The exact bytes sent as the body. */
  body: string;
  secrets: string[];
}

export function signatureOf(secret: string, messageId: string, timestamp: number, body: string): string {
  const key = Buffer.from(secret.startsWith("whsec_") ? secret.slice("whsec_".length) : secret, "base64");
  return `v1,${createHmac("sha256", key).update(`${messageId}.${timestamp}.${body}`).digest("base64")}`;
}

/** Every header of a delivery attempt. */
export function webhookHeaders(request: SignedRequest): Record<string, string> {
  return {
    "content-type": "application/json",
    "user-agent": WEBHOOK_USER_AGENT,
    "webhook-id": request.messageId,
    "webhook-timestamp": String(request.timestamp),
    "webhook-signature": request.secrets.map((s) => signatureOf(s, request.messageId, request.timestamp, request.body)).join(" "),
  };
}
