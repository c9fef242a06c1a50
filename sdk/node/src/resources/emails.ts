import { randomUUID } from "node:crypto";
import type { HttpClient } from "../http.js";
import type { PageParams } from "../pagination.js";
import type { Email, EmailDetail, EmailStatus, Metadata, ProviderName, SentEmail } from "../types.js";
import { at, Resource } from "./resource.js";

export interface Attachment {
  filename: string;
  /** Base64 text, or the bytes (a Buffer or Uint8Array), which are base64-encoded for you. */
  content: string | Uint8Array;
  /** Default application/octet-stream. */
  contentType?: string;
}

export interface SendEmailParams {
  from: string;
  to: string;
  subject: string;
  /** At least one of html and text. */
  html?: string;
  text?: string;
  fromName?: string;
  toName?: string;
  replyTo?: string;
  tags?: string[];
  metadata?: Metadata;
  attachments?: Attachment[];
  /** Extra message headers (not From, To, Subject or other reserved ones). */
  headers?: Record<string, string>;
  /**
   * Deduplicates sends within 24 h: the same key returns the first email instead of sending again. When
   * omitted (and metadata has no idempotency_key) the client generates one, so its own retries never send twice.
   */
  idempotencyKey?: string;
  /** Hold the email until then (at most 30 days ahead); `cancel` stops it before it goes. */
  scheduledAt?: Date | string;
  /**
   * Per provider, fields merged into what that provider receives when the email goes through it, in that
   * provider's own names (sent as written): e.g. `{ sendgrid: { body: { categories: ["receipts"] } },
   * postmark: { body: { MessageStream: "outbound" } }, smtp: { body: { priority: "high" }, config: { host, port, auth } } }`.
   */
  providerOverrides?: ProviderOverrides;
  /** Narrows this email's plan to these connections (ids or provider names), in this order. */
  routing?: { connections: string[] };
  /** Adds one-click unsubscribe (RFC 8058) headers with a signed link. */
  unsubscribe?: boolean;
}

/** SMTP transport options for one message (nodemailer's names). */
export interface SmtpTransportOverride {
  host?: string;
  port?: number;
  secure?: boolean;
  requireTLS?: boolean;
  auth?: { user: string; pass: string };
  tls?: { servername?: string; rejectUnauthorized?: boolean; minVersion?: string };
  connectionTimeout?: number;
  greetingTimeout?: number;
  socketTimeout?: number;
}

export type ProviderOverrides = { [P in Exclude<ProviderName, "smtp">]?: { body?: Record<string, unknown> } } & {
  smtp?: { body?: Record<string, unknown>; config?: SmtpTransportOverride };
};

export type BatchResult = { index: number; status: 202; replayed: boolean; email: Email & { warnings: string[] } } | { index: number; status: 422; errors: string[] };

export interface ListEmailsParams extends PageParams {
  status?: EmailStatus;
  /** Partial match on the recipient. */
  recipient?: string;
  /** Created at or after (a Date, or an ISO 8601 date or date-time). */
  from?: Date | string;
  /** Created at or before. */
  to?: Date | string;
  /** true: test-mode emails only; false: live ones only. */
  test?: boolean;
}

export class Emails extends Resource<Email, ListEmailsParams> {
  constructor(http: HttpClient) {
    super(http, "/emails");
  }

  /** POST /emails: queue an email (202). Retried safely on 429, 5xx and lost answers, with one idempotency key. */
  async send(params: SendEmailParams): Promise<SentEmail> {
    const key = params.idempotencyKey ?? ownKey(params) ?? randomUUID();
    const body = sendBody(params, key);
    const response = await this.http.request<Email & { warnings?: string[] }>({ method: "POST", path: "/emails", body, headers: { "idempotency-key": key }, idempotent: true });
    const { warnings = [], ...email } = response.data;
    return { email, warnings, replayed: response.headers.get("idempotent-replayed") === "true" };
  }

  /**
   * POST /emails/batch: up to 100 emails in one request, each validated and queued on its own (one bad item
   * does not stop the others); one result per item, in order. Items without their own idempotency key are
   * keyed by the batch's (`<key>:<index>`, generated when omitted), so a retried batch sends nothing twice.
   */
  async sendBatch(emails: SendEmailParams[], options: { idempotencyKey?: string } = {}): Promise<{ data: BatchResult[] }> {
    const key = options.idempotencyKey ?? randomUUID();
    const body = { emails: emails.map((e) => sendBody(e, e.idempotencyKey ?? ownKey(e))) };
    return (await this.http.request<{ data: BatchResult[] }>({ method: "POST", path: "/emails/batch", body, headers: { "idempotency-key": key }, idempotent: true })).data;
  }

  /** POST /emails/:id/cancel: an email that has not started sending (typically a scheduled one); ConflictError once it has. */
  cancel(id: string): Promise<Email> {
    return this.call<Email>("POST", at(id, "cancel"));
  }

  /** GET /emails/:id: the email with its event timeline. */
  get(id: string): Promise<EmailDetail> {
    return this.call<EmailDetail>("GET", at(id));
  }
}

/** The caller's own key in metadata, if any. */
function ownKey(params: SendEmailParams): string | undefined {
  const key = params.metadata?.idempotency_key;
  return typeof key === "string" ? key : undefined;
}

/** The API's field names; the idempotency key (when there is one) goes where the server deduplicates: metadata.idempotency_key. */
function sendBody(params: SendEmailParams, idempotencyKey: string | undefined) {
  const metadata = idempotencyKey === undefined ? params.metadata : { ...params.metadata, idempotency_key: idempotencyKey };
  return {
    from_email: params.from,
    from_name: params.fromName,
    to_email: params.to,
    to_name: params.toName,
    reply_to: params.replyTo,
    subject: params.subject,
    html_body: params.html,
    text_body: params.text,
    tags: params.tags,
    metadata,
    headers: params.headers,
    attachments: params.attachments?.map((a) => ({ filename: a.filename, content: typeof a.content === "string" ? a.content : Buffer.from(a.content).toString("base64"), content_type: a.contentType })),
    scheduled_at: params.scheduledAt instanceof Date ? params.scheduledAt.toISOString() : params.scheduledAt,
    // Verbatim: the keys inside are each provider's own field names.
    provider_overrides: params.providerOverrides,
    routing: params.routing,
    unsubscribe: params.unsubscribe,
  };
}
