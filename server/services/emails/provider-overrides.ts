/**
 * Per-message provider overrides and routing (the Courier seed's `providers.<name>.override`), as the send
 * request carries them: `provider_overrides: { "<provider>": { body: {…}, config: {…} } }` and
 * `routing: { connections: [<connection id or provider name>, …] }`.
 *
 * Every provider's body has an allowlist: anything else is refused with a sentence saying why, and fields
 * that would change the recipients, the sender or the envelope are refused in every spelling, so the
 * suppression check on to_email keeps meaning what it says. The messages read after the field's path
 * through server/http/validation.ts ("provider_overrides.sendgrid.body.to is not allowed: …").
 *
 * Only zod and pure modules here: the send schema (and with it the browser's send form) imports this file.
 * What needs the server (sealing credentials, the outbound guard) is in provider-override-storage.ts.
 */
import { z } from "zod";
import { reservedHeaderProblem } from "../../providers/shared/message-fields";
import { PROVIDER_NAMES, SMTP_TLS_VERSIONS, type MessageOverrides, type ProviderName } from "../../providers/types";

/** Decoded bytes across all attachments, the send's own and the SMTP override's (as the send schema's). */
const MAX_ATTACHMENT_BYTES = 7 * 1024 * 1024;
const MAX_ATTACHMENTS = 10;

const singleLine = (max: number) =>
  z
    .string({ message: "must be a string" })
    .max(max, `must be at most ${max} characters`)
    .refine((v) => !/[\r\n]/.test(v), "must be a single line");
const nonBlank = (max: number) => singleLine(max).pipe(z.string().trim().min(1, "can't be blank"));
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,100}$/;
const headerName = z.string().superRefine((name, ctx) => {
  const problem = headerNameProblem(name);
  if (problem) ctx.addIssue({ code: "custom", message: problem });
});
const headerRecord = z.record(headerName, singleLine(1000), { error: () => "must be an object of header names and values" }).refine((h) => Object.keys(h).length <= 20, "must have at most 20 headers");
const stringRecord = (what: string) =>
  z
    .record(z.string().max(64, "keys must be at most 64 characters"), singleLine(1000), { error: () => `must be an object of ${what}` })
    .refine((m) => Object.keys(m).length <= 50, "must have at most 50 keys");
const bool = z.boolean({ message: "must be true or false" });
const int = (min: number, max: number) => z.number({ message: "must be a whole number" }).int("must be a whole number").min(min, `must be at least ${min}`).max(max, `must be at most ${max}`);
const hostName = singleLine(253).regex(/^[A-Za-z0-9._:[\]-]+$/, "must be a host name or IP address");

// ---- why a field is refused -------------------------------------------------------------------------

const ENVELOPE = "is not allowed: it would change the recipients, the sender or the envelope (set to_email, from_email and reply_to on the email itself)";
// Compared without case and separators, so To, TO, reply_to, Reply-To and h:Bcc all match.
const ENVELOPE_KEY = /^h?(to|cc|bcc|from|sender|replyto|replytolist|returnpath|envelope|envelopefrom|envelopeto|personalizations|destination|source|sourcearn|recipients?|recipientvariables|fromemailaddress|fromemailaddressidentityarn|(to|cc|bcc|replyto)addresses|feedbackforwardingemailaddress|feedbackforwardingemailaddressidentityarn|returnpatharn|errorsto|dsn)$/;
const REASONS: [RegExp, string][] = [
  [ENVELOPE_KEY, ENVELOPE],
  [/^(raw|rawmessage|content|mime|alternatives|amp|html|text|htmlbody|textbody|subject|templateid|template|templatealias|templatemodel)$/, "is not allowed: the message content comes from the email itself (subject, html_body, text_body, attachments)"],
  [/^(sendat|scheduledat|odeliverytime|deliverytime|odeliverytimeoptimizeperiod|otimezonelocalize)$/, "is not allowed: schedule with scheduled_at, we hold the email until then ourselves"],
  [/^(otestmode|testmode|sandboxmode)$/, "is not allowed: the provider would accept the email without delivering it; send with a test API key instead"],
  [/^messageid$/, "is not allowed: the Message-ID is derived from the email id, so that a retry carries the same one"],
  [/^date$/, "is not allowed: the Date header is set when the email is sent"],
  [/^(encoding)$/, "is not allowed: it says how the email's own html_body and text_body are encoded; use textEncoding for the transfer encoding"],
  [/^(bypasslistmanagement|bypassspammanagement|bypassbouncemanagement|bypassunsubscribemanagement)$/, "is not allowed: it would bypass the provider's suppression lists"],
  [/^(dkim|proxy|localaddress|getsocket|service|name|pool|logger|debug|transactionlog|connection|lmtp|authmethod|ignoretls|opportunistictls)$/, "is not allowed here: the transport is built from the stored connection and the config override's allowlisted fields"],
];

function normalizedKey(key: string): string {
  return key.toLowerCase().replace(/[^a-z0-9]/g, "");
}

function refusal(key: string, allowed: readonly string[]): string {
  const normalized = normalizedKey(key);
  const specific = REASONS.find(([pattern]) => pattern.test(normalized));
  if (specific) return specific[1];
  return `is not allowed: only ${allowed.join(", ")} may be set here`;
}

/**
 * An object whose keys must all be in `shape`; every other key is refused with its own reason, and in the
 * same 422 as the allowed fields' own problems (zod would otherwise skip a refinement after them).
 */
function allowlisted<Shape extends z.core.$ZodLooseShape>(
  shape: Shape,
  options: { allowed?: readonly string[]; keyAllowed?: (key: string) => boolean; patterns?: readonly string[]; refuse?: (key: string) => string | undefined } = {},
) {
  const allowed = options.allowed ?? Object.keys(shape);
  // The API document describes the allowlist itself, not the open object zod parses before refusing.
  const documented = (ctx: { jsonSchema: Record<string, unknown> }) => {
    ctx.jsonSchema.additionalProperties = false;
    if (options.patterns) ctx.jsonSchema.patternProperties = Object.fromEntries(options.patterns.map((p) => [p, { type: "string", maxLength: 1000 }]));
  };
  return z
    .object(shape, { error: (issue) => (issue.code === "invalid_type" ? "must be an object" : undefined) })
    .catchall(z.unknown())
    .superRefine(
      (value, ctx) => {
        if (typeof value !== "object" || value === null || Array.isArray(value)) return;
        for (const key of Object.keys(value)) {
          // Own keys only: `in` would also let through every name objects inherit (constructor, toString,
          // valueOf, …), whose values catchall() keeps unchecked.
          if (Object.hasOwn(shape, key) || options.keyAllowed?.(key)) continue;
          ctx.addIssue({ code: "custom", path: [key], message: options.refuse?.(key) ?? refusal(key, allowed) });
        }
      },
      { when: () => true },
    )
    .meta({ override: documented });
}

// ---- SMTP (nodemailer message options and transport options) ----------------------------------------

const base64 = z.string({ message: "must be a base64 string" }).regex(/^[A-Za-z0-9+/]*={0,2}$/, "must be base64").min(1, "can't be blank");
const listValue = z.union([singleLine(1000), z.array(singleLine(1000)).max(5, "must have at most 5 entries")], { message: "must be a string or an array of strings" });

const FILE_OR_URL = "is not allowed: attachments are sent as base64 content only (a path or URL would make us read a file or fetch a URL)";

const smtpAttachment = allowlisted(
  {
    filename: nonBlank(255).refine((v) => !/[/\\]/.test(v), "must be a file name, not a path"),
    content: base64,
    encoding: z.literal("base64", { message: "must be base64 (content is always base64)" }).default("base64"),
    contentType: singleLine(255).regex(/^[\w.+-]+\/[\w.+-]+$/, "must be a MIME type such as application/pdf").optional(),
    cid: singleLine(255).regex(/^[^<>\s]+$/, "must be a content id without angle brackets").optional(),
    contentDisposition: z.enum(["attachment", "inline"], { message: "must be attachment or inline" }).optional(),
  },
  { refuse: (key) => (/^(path|href|raw|httpheaders)$/i.test(key) ? FILE_OR_URL : undefined) },
);

const smtpBody = allowlisted({
  attachments: z.array(smtpAttachment, { message: "must be an array" }).max(MAX_ATTACHMENTS, `must have at most ${MAX_ATTACHMENTS} attachments`).optional(),
  headers: headerRecord.optional(),
  priority: z.enum(["high", "normal", "low"], { message: "must be high, normal or low" }).optional(),
  list: allowlisted({ help: listValue.optional(), unsubscribe: listValue.optional(), subscribe: listValue.optional(), post: listValue.optional(), owner: listValue.optional(), archive: listValue.optional() }).optional(),
  inReplyTo: singleLine(998).optional(),
  references: z.union([singleLine(998), z.array(singleLine(998)).max(50, "must have at most 50 entries")], { message: "must be a string or an array of strings" }).optional(),
  textEncoding: z.enum(["quoted-printable", "base64"], { message: "must be quoted-printable or base64" }).optional(),
  // Forced on in the adapter anyway; a false is refused rather than silently ignored.
  disableFileAccess: z.literal(true, { message: "must be true (attachments are never read from files)" }).optional(),
  disableUrlAccess: z.literal(true, { message: "must be true (attachments are never fetched from URLs)" }).optional(),
});

const TIMEOUT_MAX_MS = 60_000;
const timeout = int(1_000, TIMEOUT_MAX_MS).optional();

const smtpConfig = allowlisted({
  host: hostName.optional(),
  port: int(1, 65535).optional(),
  secure: bool.optional(),
  requireTLS: bool.optional(),
  auth: allowlisted({ user: nonBlank(512), pass: z.string({ message: "must be a string" }).min(1, "can't be blank").max(4096, "must be at most 4096 characters") }).optional(),
  tls: allowlisted({
    servername: hostName.optional(),
    rejectUnauthorized: bool.optional(),
    minVersion: z.enum(SMTP_TLS_VERSIONS, { message: `must be one of: ${SMTP_TLS_VERSIONS.join(", ")}` }).optional(),
  }).optional(),
  connectionTimeout: timeout,
  greetingTimeout: timeout,
  socketTimeout: timeout,
}).refine((c) => !(c.secure === true && c.requireTLS === true), { message: "applies to STARTTLS only; with secure (implicit TLS) leave it out", path: ["requireTLS"] });

// ---- the HTTP providers (each SDK's own field names) ----------------------------------------------------

const tagName = z.string({ message: "must be a string" }).regex(/^[A-Za-z0-9_-]{1,256}$/, "may contain only letters, digits, _ and - (1 to 256)");
const nameValueTags = (names: { name: string; value: string }) =>
  z.array(allowlisted({ [names.name]: tagName, [names.value]: tagName }), { message: "must be an array" }).max(50, "must have at most 50 tags");

const sendgridBody = allowlisted({
  categories: z.array(nonBlank(255), { message: "must be an array of strings" }).max(10, "must have at most 10 categories").optional(),
  asm: allowlisted({ group_id: int(1, 2 ** 31 - 1), groups_to_display: z.array(int(1, 2 ** 31 - 1), { message: "must be an array" }).max(25, "must have at most 25 groups").optional() }).optional(),
  ip_pool_name: singleLine(64).pipe(z.string().min(2, "must be 2 to 64 characters")).optional(),
  batch_id: nonBlank(255).optional(),
  tracking_settings: allowlisted({
    click_tracking: allowlisted({ enable: bool.optional(), enable_text: bool.optional() }).optional(),
    open_tracking: allowlisted({ enable: bool.optional(), substitution_tag: singleLine(100).optional() }).optional(),
    subscription_tracking: allowlisted({ enable: bool.optional(), text: singleLine(1000).optional(), html: singleLine(2000).optional(), substitution_tag: singleLine(100).optional() }).optional(),
    ganalytics: allowlisted({
      enable: bool.optional(),
      utm_source: singleLine(255).optional(),
      utm_medium: singleLine(255).optional(),
      utm_term: singleLine(255).optional(),
      utm_content: singleLine(255).optional(),
      utm_campaign: singleLine(255).optional(),
    }).optional(),
  }).optional(),
  // Sandbox mode and the bypass_* settings are refused (see REASONS): only the footer may change.
  mail_settings: allowlisted({ footer: allowlisted({ enable: bool.optional(), text: singleLine(2000).optional(), html: singleLine(5000).optional() }).optional() }).optional(),
  custom_args: stringRecord("custom args").optional(),
});

const sesBody = allowlisted({
  ConfigurationSetName: nonBlank(64).optional(),
  EmailTags: nameValueTags({ name: "Name", value: "Value" }).optional(),
  ListManagementOptions: allowlisted({ ContactListName: nonBlank(255), TopicName: nonBlank(255).optional() }).optional(),
});

const MAILGUN_OPTIONS = {
  "o:tag": z.union([nonBlank(128), z.array(nonBlank(128)).max(10, "must have at most 10 tags")], { message: "must be a string or an array of strings" }).optional(),
  "o:tracking": z.enum(["yes", "no", "true", "false"], { message: "must be yes, no, true or false" }).optional(),
  "o:tracking-clicks": z.enum(["yes", "no", "true", "false", "htmlonly"], { message: "must be yes, no, true, false or htmlonly" }).optional(),
  "o:tracking-opens": z.enum(["yes", "no", "true", "false"], { message: "must be yes, no, true or false" }).optional(),
  "o:dkim": z.enum(["yes", "no", "true", "false"], { message: "must be yes, no, true or false" }).optional(),
  "o:require-tls": z.enum(["yes", "no", "true", "false"], { message: "must be yes, no, true or false" }).optional(),
  "o:sending-ip-pool": nonBlank(64).optional(),
};
const mailgunBody = allowlisted(MAILGUN_OPTIONS, {
  allowed: [...Object.keys(MAILGUN_OPTIONS), "h:<header>", "v:<variable>"],
  keyAllowed: (key) => key.startsWith("h:") || key.startsWith("v:"),
  patterns: ["^h:", "^v:"],
})
  .refine((b) => Object.keys(b).filter((k) => k.startsWith("h:")).length <= 20 && Object.keys(b).filter((k) => k.startsWith("v:")).length <= 50, "must have at most 20 h: headers and 50 v: variables")
  .superRefine(
    (body, ctx) => {
      // Runs even after the base check failed (so that every problem is in one 422): body may be anything.
      if (typeof body !== "object" || body === null || Array.isArray(body)) return;
      for (const [key, value] of Object.entries(body)) {
        if (!key.startsWith("h:") && !key.startsWith("v:")) continue;
        const problem = key.startsWith("h:") ? headerNameProblem(key.slice(2)) : key.length > 66 || key.length === 2 ? "names must be 1 to 64 characters" : undefined;
        const valueProblem = singleLine(1000).safeParse(value).error?.issues[0]?.message;
        for (const message of [problem, valueProblem]) if (message) ctx.addIssue({ code: "custom", path: [key], message });
      }
    },
    { when: () => true },
  );

function headerNameProblem(name: string): string | undefined {
  if (!HEADER_NAME.test(name)) return "names must be valid header names";
  if (ENVELOPE_KEY.test(normalizedKey(name))) return ENVELOPE;
  return reservedHeaderProblem(name);
}

const postmarkBody = allowlisted({
  MessageStream: nonBlank(100).optional(),
  TrackOpens: bool.optional(),
  TrackLinks: z.enum(["None", "HtmlAndText", "HtmlOnly", "TextOnly"], { message: "must be None, HtmlAndText, HtmlOnly or TextOnly" }).optional(),
  Tag: nonBlank(1000).optional(),
  Metadata: stringRecord("metadata").optional(),
  Headers: z.array(allowlisted({ Name: headerName, Value: singleLine(1000) }), { message: "must be an array of { Name, Value }" }).max(20, "must have at most 20 headers").optional(),
});

const resendBody = allowlisted({
  headers: headerRecord.optional(),
  tags: nameValueTags({ name: "name", value: "value" }).optional(),
});

// ---- the request fields -----------------------------------------------------------------------------------

const entry = (body: z.ZodType) =>
  allowlisted({ body: body.optional() }, { refuse: (key) => (key === "config" ? "is not allowed: only smtp takes a transport config" : "is not allowed: an override has body (and config, for smtp)") });

export const providerOverridesInput = allowlisted(
  {
    sendgrid: entry(sendgridBody).optional(),
    mailgun: entry(mailgunBody).optional(),
    aws_ses: entry(sesBody).optional(),
    postmark: entry(postmarkBody).optional(),
    resend: entry(resendBody).optional(),
    smtp: allowlisted(
      { body: smtpBody.optional(), config: smtpConfig.optional() },
      { refuse: () => "is not allowed: an override has body and config" },
    ).optional(),
  },
  { refuse: () => `is not a provider: overrides are keyed by ${PROVIDER_NAMES.join(", ")}` },
).superRefine((overrides, ctx) => {
  const problem = attachmentTotalProblem([], overrides);
  if (problem) ctx.addIssue({ code: "custom", path: ["smtp", "body", "attachments"], message: problem });
});

export type ProviderOverridesInput = z.infer<typeof providerOverridesInput>;

const CONNECTION_REF = /^[A-Za-z0-9_-]{1,64}$/;
export const MAX_ROUTING_CONNECTIONS = 10;

export const routingInput = allowlisted({
  connections: z
    .array(z.string({ message: "must be a connection id or a provider name" }).regex(CONNECTION_REF, "must be a connection id or a provider name"), { message: "must be an array of connection ids or provider names" })
    .min(1, "must name at least one connection")
    .max(MAX_ROUTING_CONNECTIONS, `must name at most ${MAX_ROUTING_CONNECTIONS} connections`)
    .refine((list) => new Set(list).size === list.length, "must not name a connection twice"),
});

export type RoutingInput = z.infer<typeof routingInput>;

/**
 * The send's attachments and the SMTP override's share one budget: for the wiring's refinement of the
 * whole send request (the override alone is checked here too). Undefined when within it.
 */
export function attachmentTotalProblem(sendAttachments: readonly { content: string }[], overrides: ProviderOverridesInput | undefined): string | undefined {
  const extra = overrides?.smtp?.body?.attachments ?? [];
  const all = [...sendAttachments, ...extra];
  if (all.length > MAX_ATTACHMENTS) return `must have at most ${MAX_ATTACHMENTS} attachments together with the email's attachments`;
  const bytes = all.reduce((n, a) => n + Math.floor((a.content.length * 3) / 4), 0);
  if (bytes > MAX_ATTACHMENT_BYTES) return `must be at most ${MAX_ATTACHMENT_BYTES / 1024 / 1024} MB in total together with the email's attachments`;
  return undefined;
}

/** What one attempt on `provider` carries: only that provider's entry applies there. */
export function overridesForProvider(overrides: ProviderOverridesInput | undefined, provider: ProviderName): MessageOverrides | undefined {
  const chosen = overrides?.[provider];
  if (!chosen) return undefined;
  const config = provider === "smtp" ? overrides.smtp?.config : undefined;
  const result: MessageOverrides = {
    ...(chosen.body ? { body: chosen.body as Record<string, unknown> } : {}),
    ...(config ? { smtp: config } : {}),
  };
  return result.body || result.smtp ? result : undefined;
}

const LIST_UNSUBSCRIBE = new Set(["list-unsubscribe", "list-unsubscribe-post"]);

/**
 * Whether an override writes List-Unsubscribe itself, in any provider's spelling (SMTP headers or list
 * options, Resend headers, Postmark Headers, Mailgun h:): such a send keeps its own link, as one with the
 * header in `headers` does, and may not also ask for ours.
 */
export function overridesSetListUnsubscribe(overrides: ProviderOverridesInput | undefined): boolean {
  if (!overrides) return false;
  // The HTTP providers' bodies are typed loosely (entry() takes any schema): read as what their schemas allow.
  const resend = overrides.resend?.body as { headers?: Record<string, string> } | undefined;
  const postmark = overrides.postmark?.body as { Headers?: { Name: string }[] } | undefined;
  const mailgun = overrides.mailgun?.body as Record<string, unknown> | undefined;
  const keys = (value: unknown) => (typeof value === "object" && value !== null ? Object.keys(value) : []);
  const names = [
    ...keys(overrides.smtp?.body?.headers),
    ...(overrides.smtp?.body?.list?.unsubscribe !== undefined ? ["list-unsubscribe"] : []),
    ...(overrides.smtp?.body?.list?.post !== undefined ? ["list-unsubscribe-post"] : []),
    ...keys(resend?.headers),
    ...(Array.isArray(postmark?.Headers) ? postmark.Headers : []).map((h) => String(h?.Name ?? "")),
    ...keys(mailgun).filter((k) => k.startsWith("h:")).map((k) => k.slice(2)),
  ];
  return names.some((name) => LIST_UNSUBSCRIBE.has(name.toLowerCase()));
}
