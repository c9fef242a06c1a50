/**
 * The one small interface every email provider adapter implements. The send path (failover, retries,
 * duplicate bookkeeping) depends only on this file, never on a provider SDK.
 */
import type { OutboundGuard } from "../lib/outbound-guard";

export const PROVIDER_NAMES = ["sendgrid", "mailgun", "aws_ses", "postmark", "resend", "smtp"] as const;
export type ProviderName = (typeof PROVIDER_NAMES)[number];

export interface OutboundAttachment {
  filename: string;
  /** Base64, as stored with the email. */
  content: string;
  contentType: string;
}

export interface OutboundMessage {
  emailId: string;
  from: string;
  fromName?: string;
  to: string;
  toName?: string;
  replyTo?: string;
  subject: string;
  html?: string;
  text?: string;
  tags: string[];
  metadata: Record<string, string>;
  headers: Record<string, string>;
  attachments: OutboundAttachment[];
  /**
   * This message's provider override for the provider of this attempt only (validated at accept time by
   * server/services/emails/provider-overrides.ts): `body` is merged into what the SDK receives, over the
   * mapped message but never over recipients, sender or our correlation fields; `smtp` replaces parts of
   * the stored SMTP transport for this one message.
   */
  overrides?: MessageOverrides;
}

export interface MessageOverrides {
  body?: Record<string, unknown>;
  smtp?: SmtpTransportOverride;
}

/** Per-message SMTP transport settings (nodemailer's names), merged over the stored connection's. */
export interface SmtpTransportOverride {
  host?: string;
  port?: number;
  secure?: boolean;
  requireTLS?: boolean;
  auth?: { user: string; pass: string };
  tls?: { servername?: string; rejectUnauthorized?: boolean; minVersion?: SmtpTlsVersion };
  connectionTimeout?: number;
  greetingTimeout?: number;
  socketTimeout?: number;
}

export const SMTP_TLS_VERSIONS = ["TLSv1.2", "TLSv1.3"] as const;
export type SmtpTlsVersion = (typeof SMTP_TLS_VERSIONS)[number];

export interface ProviderConnectionSettings {
  region?: string;
  /** Mailgun sending domain. */
  domain?: string;
  smtpHost?: string;
  smtpPort?: number;
  secure?: boolean;
  requireTls?: boolean;
  tlsRejectUnauthorized?: boolean;
  /** SNI name and certificate name when it differs from smtpHost (a relay reached by address). */
  tlsServername?: string;
  tlsMinVersion?: SmtpTlsVersion;
  /** Each bounded by the call's timeout: a stored value can shorten a wait, never hold a send slot longer. */
  connectionTimeoutMs?: number;
  greetingTimeoutMs?: number;
  socketTimeoutMs?: number;
  /** Base URL override (keeps its path prefix); the default is the real provider API. */
  endpoint?: string;
}

export interface ProviderConnectionConfig {
  id: string;
  provider: ProviderName;
  /** For SES apiKey is the access key id and secret the secret key; for SMTP they are user and password. */
  credentials: { apiKey: string; secret?: string };
  settings: ProviderConnectionSettings;
  /**
   * Which addresses this connection's sockets may reach (every connect resolves through it). Without one
   * only public addresses are: a caller that forgets it is refused, never let through.
   */
  outbound?: OutboundGuard;
  /** Changes when credentials or settings rotate, so cached clients and transports are rebuilt. */
  updatedAt?: Date;
  /** Further secrets safeText removes from reasons (a message's transport override next to the stored ones). */
  redactAlso?: readonly string[];
}

export interface SendResult {
  providerMessageId: string;
}

export interface VerifyResult {
  status: "verified" | "failed";
  message: string;
}

export interface CallOptions {
  /** Whole-request budget in ms; every adapter has a bounded default. */
  timeoutMs?: number;
}

export type ProviderErrorKind = "transient" | "permanent";

/**
 * "no": the provider certainly did not take the message (refused connection, DNS failure, an HTTP error
 * answer). "unknown": the request was (maybe) written but no answer came back, so the provider may have
 * accepted it and a retry can duplicate the email.
 */
export type ProviderAcceptance = "no" | "unknown";

export interface ProviderErrorInit {
  kind: ProviderErrorKind;
  /** Short, readable, never containing credentials. */
  reason: string;
  accepted?: ProviderAcceptance;
  code?: string;
  status?: number;
  retryAfterMs?: number;
  /** Set when part of the request was accepted anyway (an SMTP relay took some recipients). */
  providerMessageId?: string;
}

/**
 * Deliberately carries no `cause`: SDK errors hold request configs with the Authorization header, and an
 * error chain is exactly what ends up in logs.
 */
export class ProviderError extends Error {
  readonly kind: ProviderErrorKind;
  readonly reason: string;
  readonly accepted: ProviderAcceptance;
  readonly code?: string;
  readonly status?: number;
  readonly retryAfterMs?: number;
  readonly providerMessageId?: string;

  constructor(init: ProviderErrorInit) {
    super(init.reason);
    this.name = "ProviderError";
    this.kind = init.kind;
    this.reason = init.reason;
    this.accepted = init.accepted ?? "no";
    if (init.code !== undefined) this.code = init.code;
    if (init.status !== undefined) this.status = init.status;
    if (init.retryAfterMs !== undefined) this.retryAfterMs = init.retryAfterMs;
    if (init.providerMessageId !== undefined) this.providerMessageId = init.providerMessageId;
  }
}

export function isProviderError(error: unknown): error is ProviderError {
  return error instanceof ProviderError;
}

export interface ProviderAdapter {
  readonly name: ProviderName;
  /** Makes exactly one attempt; rejects only with ProviderError. */
  send(message: OutboundMessage, connection: ProviderConnectionConfig, opts?: CallOptions): Promise<SendResult>;
  /** Resolves "failed" with the provider's reason for credential problems; throws only for programming errors. */
  verify(connection: ProviderConnectionConfig, opts?: CallOptions): Promise<VerifyResult>;
}
