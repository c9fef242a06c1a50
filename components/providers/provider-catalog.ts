/**
 * What the dashboard says about each provider: its name, the credential fields of the seed's table with
 * where to find each one in the provider's console, and how to set up its event webhook (README "Provider
 * events"). Labels and help only: the rules (what is required, what applies) stay in the service's schema
 * and come back as field errors.
 */
import type { ProviderName } from "@/server/providers/types";

/** The connection fields a connect form may show, named as in createProviderConnectionInput. */
export type CredentialField = "api_key" | "secret" | "region" | "smtp_host" | "smtp_port";

export interface FieldCopy {
  label: string;
  help: string;
  placeholder?: string;
  /** A secret: a password input, never prefilled, "set" once stored. */
  secret?: boolean;
  /** A fixed list instead of free text. */
  options?: readonly { value: string; label: string }[];
}

export interface EventsCopy {
  /** Where the URL goes, step by step. */
  steps: readonly string[];
  /** The key the provider gives back, stored as webhook_signing_key or sns_topic_arn; none for Postmark. */
  key?: { field: "webhook_signing_key" | "sns_topic_arn"; label: string; /** The label inside a sentence ("Save the …"). */ noun: string; help: string; placeholder?: string };
}

export interface ProviderCopy {
  label: string;
  summary: string;
  fields: readonly CredentialField[];
  copy: Partial<Record<CredentialField, FieldCopy>>;
  /** An HTTP API whose base URL may be overridden (a proxy, a regional gateway, an emulator). */
  endpoint: boolean;
  /** Null: the provider has no event webhook (SMTP). */
  events: EventsCopy | null;
}

export const PROVIDERS: Record<ProviderName, ProviderCopy> = {
  sendgrid: {
    label: "SendGrid",
    summary: "Twilio SendGrid's v3 Mail Send API with an API key.",
    fields: ["api_key"],
    copy: {
      api_key: {
        label: "API key",
        help: "In the SendGrid console: Settings → API Keys → Create API Key, with Mail Send access. It starts with SG. and is shown once.",
        placeholder: "SG.…",
        secret: true,
      },
    },
    endpoint: true,
    events: {
      steps: [
        "In SendGrid open Settings → Mail Settings → Event Webhook and create a webhook.",
        "Paste the event webhook URL as the Post URL and choose the events (delivered, bounced, dropped, spam reports, opens, clicks, unsubscribes).",
        "Turn on Signed Event Webhook, save, and copy the Verification Key it shows.",
        "Paste that verification key here: until it is set, CourierX refuses every event request.",
      ],
      key: { field: "webhook_signing_key", label: "Verification key", noun: "verification key", help: "The public key SendGrid shows under Signed Event Webhook (base64, or the PEM with its BEGIN/END lines).", placeholder: "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE…" },
    },
  },
  aws_ses: {
    label: "Amazon SES",
    summary: "Amazon Simple Email Service with an IAM access key, in the region of your verified identities.",
    fields: ["api_key", "secret", "region"],
    copy: {
      api_key: {
        label: "Access key ID",
        help: "IAM → Users → your sending user → Security credentials → Create access key. The user needs ses:SendEmail and ses:SendRawEmail.",
        placeholder: "AKIA…",
        secret: true,
      },
      secret: { label: "Secret access key", help: "Shown once by IAM next to the access key ID, when the key is created.", secret: true },
      region: { label: "Region", help: "The SES region where your domains and addresses are verified (the region selector in the SES console).", placeholder: "us-east-1" },
    },
    endpoint: true,
    events: {
      steps: [
        "In Amazon SNS create a topic (Standard) in the region of this connection.",
        "Add an HTTPS subscription to the topic with the event webhook URL, with raw message delivery off. CourierX confirms the subscription itself.",
        "In SES open Configuration sets → your set → Event destinations, add an SNS destination for that topic, and send with that configuration set.",
        "Paste the topic's ARN here: messages from any other topic are refused.",
      ],
      key: { field: "sns_topic_arn", label: "SNS topic ARN", noun: "SNS topic ARN", help: "The topic the subscription belongs to: arn:aws:sns:<region>:<12-digit account>:<topic name>.", placeholder: "arn:aws:sns:us-east-1:123456789012:courierx-events" },
    },
  },
  mailgun: {
    label: "Mailgun",
    summary: "Mailgun's Messages API for one of your sending domains, in the US or EU region.",
    fields: ["api_key", "smtp_host", "region"],
    copy: {
      api_key: {
        label: "API key",
        help: "In Mailgun: your account menu → API Security (API keys) → the private API key, or a sending key of the domain. Not the webhook signing key.",
        placeholder: "key-…",
        secret: true,
      },
      smtp_host: { label: "Sending domain", help: "The domain you added under Sending → Domains, exactly as Mailgun lists it.", placeholder: "mg.yourapp.com" },
      region: {
        label: "Region",
        help: "Where the domain lives: EU domains are served from api.eu.mailgun.net (the console shows US or EU next to the domain).",
        options: [
          { value: "us", label: "US" },
          { value: "eu", label: "EU" },
        ],
      },
    },
    endpoint: true,
    events: {
      steps: [
        "In Mailgun open Sending → Webhooks for the sending domain of this connection.",
        "Add a webhook for each event you want (Delivered, Permanent failure, Temporary failure, Complaints, Opens, Clicks, Unsubscribes) with the event webhook URL.",
        "Copy the HTTP webhook signing key from the same page (it is not the API key) and paste it here.",
      ],
      key: { field: "webhook_signing_key", label: "HTTP webhook signing key", noun: "HTTP webhook signing key", help: "Shown on Mailgun's Webhooks page: it signs every event request (HMAC-SHA256)." },
    },
  },
  postmark: {
    label: "Postmark",
    summary: "Postmark's Email API with a server token.",
    fields: ["api_key"],
    copy: {
      api_key: {
        label: "Server API token",
        help: "In Postmark: your server → API Tokens → the Server API token (not the Account API token).",
        placeholder: "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx",
        secret: true,
      },
    },
    endpoint: true,
    events: {
      steps: [
        "In Postmark open your server → the message stream → Webhooks → Add webhook.",
        "Paste the full URL with its user name and password, as shown once when this connection was created or its webhook credentials were rotated, and choose the events.",
        "Lost the password? Rotate the webhook credentials below and paste the new URL: the old one stops working at once.",
      ],
    },
  },
  resend: {
    label: "Resend",
    summary: "Resend's email API with an API key.",
    fields: ["api_key"],
    copy: {
      api_key: { label: "API key", help: "In Resend: API Keys → Create API key, with Sending access (full access also works). It starts with re_.", placeholder: "re_…", secret: true },
    },
    endpoint: true,
    events: {
      steps: [
        "In Resend open Webhooks → Add endpoint.",
        "Paste the event webhook URL and choose the events (email.delivered, email.bounced, email.complained, email.opened, email.clicked).",
        "Open the endpoint and copy its Signing secret (whsec_…), then paste it here.",
      ],
      key: { field: "webhook_signing_key", label: "Signing secret", noun: "signing secret", help: "The endpoint's signing secret from Resend's webhook page, starting with whsec_.", placeholder: "whsec_…" },
    },
  },
  smtp: {
    label: "SMTP",
    summary: "Any SMTP relay: your own server, or a provider's SMTP service.",
    fields: ["smtp_host", "smtp_port", "api_key", "secret"],
    copy: {
      smtp_host: { label: "SMTP host", help: "The relay's host name or IP address, e.g. smtp.yourapp.com.", placeholder: "smtp.yourapp.com" },
      smtp_port: { label: "Port", help: "587 for STARTTLS (the usual), 465 for TLS from the first byte, 25 for server-to-server relays.", placeholder: "587" },
      api_key: { label: "Username", help: "The SMTP user name, if the relay asks for one. Leave empty (with the password) for a relay without authentication." },
      secret: { label: "Password", help: "The SMTP password; it goes with the user name.", secret: true },
    },
    endpoint: false,
    events: null,
  },
};

export const PROVIDER_ORDER: readonly ProviderName[] = ["sendgrid", "aws_ses", "mailgun", "postmark", "resend", "smtp"];

export function providerLabel(provider: string): string {
  return PROVIDERS[provider as ProviderName]?.label ?? provider;
}
