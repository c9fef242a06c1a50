/**
 * The send request, exactly the seed's fields (from_email … metadata) plus attachments, custom headers,
 * scheduled_at, one-click unsubscribe, per-message provider overrides and routing (provider-overrides.ts).
 * Limits keep one email well inside every provider's own limits (SES 40 MB raw, SendGrid 30 MB, Postmark
 * 10 MB, Resend 40 MB): the smallest wins so failover never meets an email the next provider refuses.
 */
import { z } from "zod";
import { reservedHeaderProblem } from "../../providers/shared/message-fields";
import { emailAddress } from "../accounts/schemas";
import { attachmentTotalProblem, overridesSetListUnsubscribe, providerOverridesInput, routingInput } from "./provider-overrides";

export const MAX_BODY_CHARS = 2_000_000;
export const MAX_ATTACHMENTS = 10;
/** Decoded bytes across all attachments (Postmark's 10 MB message limit, minus room for the body). */
export const MAX_ATTACHMENT_BYTES = 7 * 1024 * 1024;
export const MAX_TAGS = 10;
export const MAX_METADATA_KEYS = 50;
export const MAX_METADATA_BYTES = 8 * 1024;
/** A whole request: bodies + base64 attachments (4/3 of the decoded size) + slack. */
export const SEND_MAX_REQUEST_BYTES = 16 * 1024 * 1024;
/** Emails in one POST /emails/batch. */
export const MAX_BATCH_EMAILS = 100;
/**
 * A whole batch: SEND_MAX_REQUEST_BYTES per email would be 1.6 GB, which no process should buffer; the cap
 * still fits a few emails with large attachments, or a hundred ordinary ones many times over.
 */
export const BATCH_MAX_REQUEST_BYTES = Math.min(MAX_BATCH_EMAILS * SEND_MAX_REQUEST_BYTES, 40 * 1024 * 1024);
/** How far ahead scheduled_at may be. */
export const MAX_SCHEDULE_AHEAD_MS = 30 * 24 * 60 * 60 * 1000;
/** A scheduled_at this little in the past is clock skew between the client and us: it sends at once. */
export const SCHEDULE_SKEW_MS = 60_000;

const singleLine = (max: number) =>
  z
    .string({ message: "must be a string" })
    .max(max, `must be at most ${max} characters`)
    .refine((v) => !/[\r\n]/.test(v), "must be a single line");

/** Written by CourierX when a send asks for a one-click unsubscribe link. */
export const LIST_UNSUBSCRIBE_HEADERS = new Set(["list-unsubscribe", "list-unsubscribe-post"]);

/** "must be an object" for a non-object, while key and value problems keep their own messages. */
const objectOnly = { error: (issue: { code?: string }) => (issue.code === "invalid_type" ? "must be an object" : undefined) };

const metadataValue = z.union([z.string().max(1000, "values must be at most 1000 characters"), z.number(), z.boolean()], {
  message: "values must be strings, numbers or booleans",
});

export const sendEmailInput = z
  .strictObject({
    from_email: emailAddress,
    from_name: singleLine(200).optional(),
    to_email: emailAddress,
    to_name: singleLine(200).optional(),
    reply_to: emailAddress.optional(),
    subject: singleLine(998).pipe(z.string().trim().min(1, "can't be blank")),
    html_body: z.string({ message: "must be a string" }).max(MAX_BODY_CHARS, `must be at most ${MAX_BODY_CHARS} characters`).optional(),
    text_body: z.string({ message: "must be a string" }).max(MAX_BODY_CHARS, `must be at most ${MAX_BODY_CHARS} characters`).optional(),
    tags: z
      .array(z.string({ message: "must be strings" }).trim().min(1, "can't contain blank tags").max(64, "must be at most 64 characters each").regex(/^[\w.:-]+$/, "may contain letters, digits, _ . : - only"), {
        message: "must be an array of strings",
      })
      .max(MAX_TAGS, `must have at most ${MAX_TAGS} tags`)
      .default([]),
    metadata: z
      .record(z.string().max(64, "keys must be at most 64 characters"), metadataValue, objectOnly)
      .refine((m) => Object.keys(m).length <= MAX_METADATA_KEYS, `must have at most ${MAX_METADATA_KEYS} keys`)
      .refine((m) => JSON.stringify(m).length <= MAX_METADATA_BYTES, `must be at most ${MAX_METADATA_BYTES} bytes as JSON`)
      .refine((m) => m.idempotency_key === undefined || (typeof m.idempotency_key === "string" && m.idempotency_key.length > 0 && m.idempotency_key.length <= 255), {
        message: "idempotency_key must be a string of 1 to 255 characters",
      })
      .default({}),
    headers: z
      .record(
        z
          .string()
          .regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,100}$/, "names must be valid header names")
          .superRefine((name, ctx) => {
            const problem = reservedHeaderProblem(name);
            if (problem) ctx.addIssue({ code: "custom", message: problem });
          }),
        singleLine(1000),
        objectOnly,
      )
      .refine((h) => Object.keys(h).length <= 20, "must have at most 20 headers")
      .default({}),
    attachments: z
      .array(
        z.strictObject({
          filename: singleLine(255).pipe(z.string().min(1, "can't be blank")).refine((v) => !/[/\\]/.test(v), "must be a file name, not a path"),
          content: z.string({ message: "must be a base64 string" }).regex(/^[A-Za-z0-9+/]*={0,2}$/, "must be base64").min(1, "can't be blank"),
          content_type: z
            .string()
            .regex(/^[\w.+-]+\/[\w.+-]+$/, "must be a MIME type such as application/pdf")
            .default("application/octet-stream"),
        }),
        { message: "must be an array" },
      )
      .max(MAX_ATTACHMENTS, `must have at most ${MAX_ATTACHMENTS} attachments`)
      .refine((list) => list.reduce((n, a) => n + Math.floor((a.content.length * 3) / 4), 0) <= MAX_ATTACHMENT_BYTES, {
        message: `must be at most ${MAX_ATTACHMENT_BYTES / 1024 / 1024} MB in total`,
      })
      .default([]),
    scheduled_at: z.iso
      .datetime({ offset: true, message: "must be an ISO 8601 date-time with a time zone offset, such as 2026-12-24T09:00:00Z" })
      // Written as "not beyond" so that a value the format check already refused adds no second message (NaN).
      .refine((v) => !(Date.parse(v) < Date.now() - SCHEDULE_SKEW_MS), "must not be in the past")
      .refine((v) => !(Date.parse(v) > Date.now() + MAX_SCHEDULE_AHEAD_MS), `must be at most ${MAX_SCHEDULE_AHEAD_MS / 86_400_000} days ahead`)
      .optional(),
    // One-click unsubscribe (RFC 8058): List-Unsubscribe and List-Unsubscribe-Post with a signed link on this
    // app. Omitted: the account's default (Settings).
    unsubscribe: z.boolean({ message: "must be true or false" }).optional(),
    // Per provider: fields merged into what that provider's SDK receives when the email goes through it
    // (and, for smtp, a transport for this one message). Allowlisted; envelope fields are refused.
    provider_overrides: providerOverridesInput.optional(),
    // These connections only, in this order (ids or provider names): failover among them, rules aside.
    routing: routingInput.optional(),
  })
  .refine((v) => Boolean(v.html_body?.trim() || v.text_body?.trim()), { message: "html_body or text_body is required", path: [] })
  .refine((v) => v.unsubscribe !== true || !Object.keys(v.headers).some((k) => LIST_UNSUBSCRIBE_HEADERS.has(k.toLowerCase())), {
    message: "can't include List-Unsubscribe or List-Unsubscribe-Post when unsubscribe is true",
    path: ["headers"],
  })
  .refine((v) => v.unsubscribe !== true || !overridesSetListUnsubscribe(v.provider_overrides), {
    message: "can't set List-Unsubscribe or List-Unsubscribe-Post when unsubscribe is true",
    path: ["provider_overrides"],
  })
  .superRefine((v, ctx) => {
    // The override's attachments travel with the email's own: one budget for both (the override alone is
    // checked by its schema).
    if (!v.provider_overrides?.smtp?.body?.attachments?.length || v.attachments.length === 0) return;
    const problem = attachmentTotalProblem(v.attachments, v.provider_overrides);
    if (problem) ctx.addIssue({ code: "custom", path: ["provider_overrides", "smtp", "body", "attachments"], message: problem });
  });

export type SendEmailInput = z.infer<typeof sendEmailInput>;

/**
 * POST /emails/batch: the envelope only. Each item is validated on its own with sendEmailInput, so that one
 * bad item answers its own 422 and does not stop the others.
 */
export const sendBatchEnvelope = z.strictObject({
  emails: z
    .array(z.unknown(), { message: "must be an array of emails" })
    .min(1, "must contain at least one email")
    .max(MAX_BATCH_EMAILS, `must contain at most ${MAX_BATCH_EMAILS} emails`),
});

/** The request's Idempotency-Key header, which keys each item without its own key as `<header>:<index>`. */
export const batchIdempotencyKey = z.string().trim().min(1, "can't be blank").max(240, "must be at most 240 characters");

/** An attachment as stored in the email row (the validated input, unchanged). */
export type StoredAttachment = SendEmailInput["attachments"][number];

/** The seed's six, and `canceled` (only through POST /emails/:id/cancel). */
export const EMAIL_STATUSES = ["queued", "sent", "delivered", "bounced", "failed", "suppressed", "canceled"] as const;

const date = z.iso
  .datetime({ offset: true, message: "must be an ISO 8601 date-time" })
  .or(z.iso.date({ message: "must be an ISO 8601 date" }))
  // Years outside this range are out of PostgreSQL's timestamp range once the offset is applied, or meaningless here.
  .refine((v) => Number(v.slice(0, 4)) >= 1970 && Number(v.slice(0, 4)) <= 9999, { message: "must be a date from 1970 on" });

export const listEmailsQuery = z.object({
  status: z.enum(EMAIL_STATUSES, { message: `must be one of: ${EMAIL_STATUSES.join(", ")}` }).optional(),
  recipient: z.string().trim().min(1).max(254).optional(),
  from: date.optional(),
  to: date.optional(),
  /** "true": only test-mode emails; "false": only live ones. */
  test: z.enum(["true", "false"], { message: "must be true or false" }).optional(),
});
