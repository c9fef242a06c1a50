/**
 * What the provider-event webhook of a connection needs to authenticate a request, sealed like the
 * credentials (AES-256-GCM under the key ring, bound to the connection id with its own label) and never
 * returned: SendGrid's verification key, Mailgun's signing key or Resend's whsec_ secret (signing_key),
 * the SNS topic SES publishes to (sns_topic_arn), and for Postmark the HTTP Basic credentials we generate
 * (only the SHA-256 of the password is kept: the password itself is shown once).
 */
import { createPublicKey, randomBytes } from "node:crypto";
import { Webhook } from "standardwebhooks";
import type { ProviderConnection } from "../../db";
import { getSecrets } from "../../env";
import { decrypt, encrypt, randomBase62, sha256Hex } from "../../lib/crypto";
import type { ProviderName } from "../../providers/types";

export interface EventsSecrets {
  signing_key?: string;
  sns_topic_arn?: string;
  basic_username?: string;
  basic_password_sha256?: string;
}

/** Providers whose events are authenticated with a key the customer pastes from the provider. */
export const SIGNING_KEY_PROVIDERS: readonly ProviderName[] = ["sendgrid", "mailgun", "resend"];

export function sealEventsSecrets(connectionId: string, secrets: EventsSecrets): string | null {
  const present = Object.fromEntries(Object.entries(secrets).filter(([, v]) => v !== undefined));
  if (Object.keys(present).length === 0) return null;
  return encrypt(JSON.stringify(present), getSecrets().keyRing, aad(connectionId));
}

export function openEventsSecrets(row: Pick<ProviderConnection, "id" | "eventsSecretsEncrypted">): EventsSecrets {
  if (!row.eventsSecretsEncrypted) return {};
  return JSON.parse(decrypt(row.eventsSecretsEncrypted, getSecrets().keyRing, aad(row.id))) as EventsSecrets;
}

function aad(connectionId: string): string {
  return `provider-connection-events:${connectionId}`;
}

export interface BasicCredentials {
  username: string;
  password: string;
}

/** Fresh Postmark webhook credentials: a readable username and a 32-byte random password. */
export function generateBasicCredentials(): { credentials: BasicCredentials; stored: Pick<EventsSecrets, "basic_username" | "basic_password_sha256"> } {
  const credentials = { username: `courierx-${randomBase62(10)}`, password: randomBytes(32).toString("base64url") };
  return { credentials, stored: { basic_username: credentials.username, basic_password_sha256: sha256Hex(credentials.password) } };
}

/** The non-secret facts the API shows about a connection's event webhook. */
export interface EventsWebhookState {
  signingKeySet: boolean;
  snsTopicArnSet: boolean;
  basicUsername: string | undefined;
}

export function eventsWebhookState(row: Pick<ProviderConnection, "id" | "eventsSecretsEncrypted">): EventsWebhookState {
  const secrets = openEventsSecrets(row);
  return {
    signingKeySet: secrets.signing_key !== undefined || secrets.basic_password_sha256 !== undefined,
    snsTopicArnSet: secrets.sns_topic_arn !== undefined,
    basicUsername: secrets.basic_username,
  };
}

const SNS_TOPIC_ARN = /^arn:aws[a-z-]*:sns:[a-z]{2}(-[a-z]+)+-\d+:\d{12}:[A-Za-z0-9_-]{1,256}(\.fifo)?$/;

export function isSnsTopicArn(value: string): boolean {
  return SNS_TOPIC_ARN.test(value);
}

/**
 * A signing key as the provider's dashboard shows it, checked so a typo is a 422 now rather than every
 * event a 401 later; returns the form stored (SendGrid: the base64 DER of the key, PEM armour removed).
 */
export function normalizeSigningKey(provider: ProviderName, value: string): { key: string } | { error: string } {
  const trimmed = value.trim();
  if (provider === "sendgrid") {
    const der = trimmed.replace(/-----(BEGIN|END) PUBLIC KEY-----/g, "").replace(/\s+/g, "");
    if (!/^[A-Za-z0-9+/]+={0,2}$/.test(der)) return { error: "webhook_signing_key must be SendGrid's verification key (base64)" };
    try {
      const key = createPublicKey({ key: Buffer.from(der, "base64"), format: "der", type: "spki" });
      if (key.asymmetricKeyType !== "ec" || key.asymmetricKeyDetails?.namedCurve !== "prime256v1") {
        return { error: "webhook_signing_key must be an ECDSA P-256 public key (SendGrid's verification key)" };
      }
    } catch {
      return { error: "webhook_signing_key is not a valid public key (paste SendGrid's verification key)" };
    }
    return { key: der };
  }
  if (provider === "resend") {
    if (!/^whsec_[A-Za-z0-9+/]+={0,2}$/.test(trimmed)) return { error: "webhook_signing_key must be Resend's signing secret (whsec_…)" };
    try {
      void new Webhook(trimmed);
    } catch {
      return { error: "webhook_signing_key is not a valid whsec_ secret" };
    }
    if (Buffer.from(trimmed.slice("whsec_".length), "base64").length < 16) return { error: "webhook_signing_key is too short for a whsec_ secret" };
    return { key: trimmed };
  }
  // Mailgun's HTTP webhook signing key: an opaque token of visible characters.
  if (!/^[\x21-\x7e]{16,256}$/.test(trimmed)) return { error: "webhook_signing_key must be Mailgun's HTTP webhook signing key (16-256 characters, no spaces)" };
  return { key: trimmed };
}

export interface EventsSecretsInput {
  webhook_signing_key?: string | null;
  sns_topic_arn?: string | null;
}

/**
 * The event settings after a create or PATCH (null removes one), with readable errors for a field that
 * does not apply to the provider or is malformed. Postmark's generated credentials are left as they are.
 */
export function applyEventsSecretsInput(provider: ProviderName, current: EventsSecrets, input: EventsSecretsInput): { secrets: EventsSecrets; errors: string[] } {
  const secrets: EventsSecrets = { ...current };
  const errors: string[] = [];
  const { webhook_signing_key: key, sns_topic_arn: arn } = input;
  if (key !== undefined && key !== null) {
    if (!SIGNING_KEY_PROVIDERS.includes(provider)) {
      errors.push(provider === "postmark" ? "webhook_signing_key does not apply to postmark (CourierX generates its webhook credentials)" : `webhook_signing_key does not apply to ${provider}`);
    } else {
      const normalized = normalizeSigningKey(provider, key);
      if ("error" in normalized) errors.push(normalized.error);
      else secrets.signing_key = normalized.key;
    }
  } else if (key === null) delete secrets.signing_key;
  if (arn !== undefined && arn !== null) {
    if (provider !== "aws_ses") errors.push(`sns_topic_arn does not apply to ${provider}`);
    else if (!isSnsTopicArn(arn.trim())) errors.push("sns_topic_arn must look like arn:aws:sns:<region>:<12-digit account>:<topic name>");
    else secrets.sns_topic_arn = arn.trim();
  } else if (arn === null) delete secrets.sns_topic_arn;
  return { secrets, errors };
}
