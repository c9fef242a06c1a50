/**
 * Postmark's webhooks (PROVIDERS.md 4.5): one record per POST, no signature; the credentials embedded in
 * the webhook URL the customer pasted are sent as HTTP Basic auth.
 */
import type { SignedWebhook } from "./types";

/** The request Postmark makes to `webhookUrl` (`https://user:pass@host/…`) for `record`. */
export function postmarkRequest(webhookUrl: string, record: Record<string, unknown>): SignedWebhook & { path: string } {
  const url = new URL(webhookUrl);
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (url.username) {
    headers.authorization = `Basic ${Buffer.from(`${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`).toString("base64")}`;
  }
  return { body: JSON.stringify(record), headers, path: url.pathname };
}

/** A Postmark webhook record of `recordType` about a message sent with `Metadata`. */
export function postmarkRecord(recordType: string, fields: { recipient: string; messageId: string; metadata?: Record<string, string>; [k: string]: unknown }): Record<string, unknown> {
  const { recipient, messageId, metadata = {}, ...rest } = fields;
  const at = new Date().toISOString();
  const common = { RecordType: recordType, MessageID: messageId, ServerID: 23, MessageStream: "outbound", Tag: "welcome", Metadata: metadata };
  switch (recordType) {
    case "Bounce":
    case "SpamComplaint":
      return {
        ...common,
        ID: Math.floor(Math.random() * 1e9),
        Type: recordType === "SpamComplaint" ? "SpamComplaint" : "HardBounce",
        TypeCode: recordType === "SpamComplaint" ? 100001 : 1,
        Name: "Hard bounce",
        Description: "The server was unable to deliver your message (ex: unknown user, mailbox not found).",
        Details: "smtp;550 5.1.1 The email account that you tried to reach does not exist.",
        Email: recipient,
        From: "s@example.com",
        BouncedAt: at,
        DumpAvailable: true,
        Inactive: true,
        CanActivate: true,
        Subject: "Hi",
        ...rest,
      };
    case "Delivery":
      return { ...common, Recipient: recipient, DeliveredAt: at, Details: "Test delivery webhook details", ...rest };
    case "Open":
      return { ...common, FirstOpen: true, Recipient: recipient, ReceivedAt: at, UserAgent: "Mozilla/5.0", Platform: "Desktop", ReadSeconds: 5, ...rest };
    case "Click":
      return { ...common, Recipient: recipient, ReceivedAt: at, OriginalLink: "https://example.com/x", ClickLocation: "HTML", UserAgent: "Mozilla/5.0", ...rest };
    case "SubscriptionChange":
      return { ...common, Recipient: recipient, ChangedAt: at, Origin: "Recipient", SuppressSending: true, SuppressionReason: "ManualSuppression", ...rest };
    default:
      return { ...common, ...rest };
  }
}
