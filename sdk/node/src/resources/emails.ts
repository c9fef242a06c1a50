import { randomUUID } from "node:crypto";
import type { HttpClient } from "../http.js";
import type { PageParams } from "../pagination.js";
import type { Email, EmailDetail, EmailStatus, Metadata, SentEmail } from "../types.js";
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
}

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
    const { idempotencyKey, metadata = {}, ...fields } = params;
    const key = idempotencyKey ?? (typeof metadata.idempotency_key === "string" ? metadata.idempotency_key : randomUUID());
    const body = {
      from_email: fields.from,
      from_name: fields.fromName,
      to_email: fields.to,
      to_name: fields.toName,
      reply_to: fields.replyTo,
      subject: fields.subject,
      html_body: fields.html,
      text_body: fields.text,
      tags: fields.tags,
      // The server deduplicates on metadata.idempotency_key (the seed's contract); the header says the same.
      metadata: { ...metadata, idempotency_key: key },
      headers: fields.headers,
      attachments: fields.attachments?.map((a) => ({ filename: a.filename, content: typeof a.content === "string" ? a.content : Buffer.from(a.content).toString("base64"), content_type: a.contentType })),
    };
    const response = await this.http.request<Email & { warnings?: string[] }>({ method: "POST", path: "/emails", body, headers: { "idempotency-key": key }, idempotent: true });
    const { warnings = [], ...email } = response.data;
    return { email, warnings, replayed: response.headers.get("idempotent-replayed") === "true" };
  }

  /** GET /emails/:id: the email with its event timeline. */
  get(id: string): Promise<EmailDetail> {
    return this.call<EmailDetail>("GET", at(id));
  }
}
