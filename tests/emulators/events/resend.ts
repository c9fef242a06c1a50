/**
 * Resend's webhooks (PROVIDERS.md 5.5), signed by Svix: the standardwebhooks library signs exactly as
 * Svix does, and the headers go out under their svix-* names.
 */
import { randomBytes } from "node:crypto";
import { Webhook } from "standardwebhooks";
import type { SignedWebhook } from "./types";

export interface ResendSigner {
  secret: string;
  sign(event: Record<string, unknown>, options?: { id?: string; timestamp?: Date; body?: string }): SignedWebhook & { id: string };
}

export function resendSigner(secret = `whsec_${randomBytes(24).toString("base64")}`): ResendSigner {
  const webhook = new Webhook(secret);
  return {
    secret,
    sign(event, options = {}) {
      const id = options.id ?? `msg_${randomBytes(12).toString("base64url")}`;
      const timestamp = options.timestamp ?? new Date();
      const body = options.body ?? JSON.stringify(event);
      return {
        id,
        body,
        headers: {
          "content-type": "application/json",
          "svix-id": id,
          "svix-timestamp": String(Math.floor(timestamp.getTime() / 1000)),
          "svix-signature": webhook.sign(id, timestamp, body),
        },
      };
    },
  };
}

/** A Resend email event about a message sent with `tags`. */
export function resendEvent(type: string, fields: { to: string; emailId: string; tags?: Record<string, string>; data?: Record<string, unknown> }): Record<string, unknown> {
  return {
    type,
    created_at: new Date().toISOString(),
    data: {
      email_id: fields.emailId,
      created_at: new Date(Date.now() - 5000).toISOString(),
      from: "Sender <s@example.com>",
      to: [fields.to],
      subject: "Hi",
      tags: fields.tags ?? {},
      ...(type === "email.bounced"
        ? { bounce: { type: "Permanent", subType: "General", message: "The recipient's email provider sent a hard bounce message", diagnosticCode: ["smtp; 550 5.1.1 user unknown"] } }
        : {}),
      ...(type === "email.clicked" ? { click: { ipAddress: "192.0.2.1", link: "https://example.com/x", timestamp: new Date().toISOString(), userAgent: "Mozilla/5.0" } } : {}),
      ...fields.data,
    },
  };
}
