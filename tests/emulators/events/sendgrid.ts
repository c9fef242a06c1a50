/**
 * SendGrid's signed Event Webhook as SendGrid sends it (PROVIDERS.md 1.5): a P-256 key pair whose public
 * half is the "verification key" (base64 DER SPKI) the customer pastes, a JSON array written one event per
 * line with `,\r\n` between them and a trailing `\r\n`, signed over timestamp + those exact bytes.
 */
import { generateKeyPairSync, sign, type KeyObject } from "node:crypto";
import type { SignedWebhook } from "./types";

export interface SendgridSigner {
  /** What SendGrid's dashboard shows as the verification key. */
  publicKey: string;
  sign(events: Record<string, unknown>[], options?: { timestamp?: number; body?: string }): SignedWebhook;
}

export function sendgridSigner(): SendgridSigner {
  const { publicKey, privateKey } = generateKeyPairSync("ec", { namedCurve: "prime256v1" });
  return {
    publicKey: publicKey.export({ format: "der", type: "spki" }).toString("base64"),
    sign: (events, options = {}) => signSendgrid(privateKey, options.body ?? sendgridBody(events), options.timestamp),
  };
}

/** The bytes SendGrid posts for a batch. */
export function sendgridBody(events: Record<string, unknown>[]): string {
  return `[${events.map((e) => JSON.stringify(e)).join(",\r\n")}]\r\n`;
}

function signSendgrid(privateKey: KeyObject, body: string, timestamp = Math.floor(Date.now() / 1000)): SignedWebhook {
  const signature = sign("sha256", Buffer.from(String(timestamp) + body, "utf8"), privateKey).toString("base64");
  return {
    body,
    headers: {
      "content-type": "application/json",
      "x-twilio-email-event-webhook-signature": signature,
      "x-twilio-email-event-webhook-timestamp": String(timestamp),
    },
  };
}

let counter = 0;

/** One SendGrid event with the fields every event carries; `custom_args` are merged into the top level. */
export function sendgridEvent(event: string, fields: { email: string; messageId?: string; customArgs?: Record<string, string>; timestamp?: number; [k: string]: unknown }): Record<string, unknown> {
  const { email, messageId = "abc123XYZ", customArgs = {}, timestamp = Math.floor(Date.now() / 1000), ...rest } = fields;
  counter += 1;
  return {
    email,
    timestamp,
    event,
    "smtp-id": `<${messageId}@ismtpd0001p1mdw1.sendgrid.net>`,
    sg_event_id: Buffer.from(`${event}-${counter}-${Date.now()}`).toString("base64url"),
    sg_message_id: `${messageId}.filterdrecv-5f6b-1-6089EA4A-${counter}.0`,
    category: ["welcome"],
    ...customArgs,
    ...rest,
  };
}
