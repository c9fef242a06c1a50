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
}

export interface ProviderConnectionSettings {
  region?: string;
  /** Mailgun sending domain. */
  domain?: string;
  smtpHost?: string;
  smtpPort?: number;
  secure?: boolean;
  requireTls?: boolean;
  tlsRejectUnauthorized?: boolean;
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
