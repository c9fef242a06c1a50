/**
 * Provider connection input, exactly the seed's fields (api_key, secret, smtp_host, smtp_port, region) plus
 * SMTP's secure/require_tls, an endpoint override, and the routing knobs. Per-provider requirements are
 * checked after the shape, so every missing field is named in one 422.
 */
import { z } from "zod";
import { PROVIDER_NAMES, SMTP_TLS_VERSIONS, type ProviderName, type SmtpTlsVersion } from "../../providers/types";

const text = (max: number) => z.string({ message: "must be a string" }).trim().min(1, "can't be blank").max(max, `must be at most ${max} characters`);
/** SMTP waits in ms; each still bounded by the send's provider timeout (PROVIDER_TIMEOUT_MS). */
const timeoutMs = z.number({ message: "must be a whole number of milliseconds" }).int("must be a whole number of milliseconds").min(1000, "must be at least 1000 (ms)").max(60_000, "must be at most 60000 (ms)");
const hostName = (max: number) => text(max).regex(/^[A-Za-z0-9._:[\]-]+$/, "must be a host name or IP address");
/** The SMTP transport options a stored connection takes beyond host, port and TLS mode (as a message's config override does). */
const smtpTransportFields = {
  /** The name for SNI and the certificate check when smtp_host is an address or an alias. */
  tls_servername: hostName(253),
  tls_min_version: z.enum(SMTP_TLS_VERSIONS, { message: `must be one of: ${SMTP_TLS_VERSIONS.join(", ")}` }),
  connection_timeout_ms: timeoutMs,
  greeting_timeout_ms: timeoutMs,
  socket_timeout_ms: timeoutMs,
};
const secretText = z.string({ message: "must be a string" }).min(1, "can't be blank").max(4096, "must be at most 4096 characters");

const connectionFields = {
  display_name: text(100),
  priority: z.number({ message: "must be a whole number" }).int("must be a whole number").min(0, "must be at least 0").max(1000, "must be at most 1000"),
  weight: z.number({ message: "must be a whole number" }).int("must be a whole number").min(0, "must be at least 0").max(1000, "must be at most 1000"),
  enabled: z.boolean({ message: "must be true or false" }),
  api_key: secretText,
  secret: secretText,
  region: text(32).regex(/^[a-z0-9-]+$/, "must look like us-east-1, us or eu"),
  // A host name or an IP address (IPv6 with or without brackets), nothing a socket or a URL would read differently.
  smtp_host: hostName(253),
  smtp_port: z.number({ message: "must be a whole number" }).int("must be a whole number").min(1, "must be between 1 and 65535").max(65535, "must be between 1 and 65535"),
  secure: z.boolean({ message: "must be true or false" }),
  require_tls: z.boolean({ message: "must be true or false" }),
  /** Accept self-signed certificates from an SMTP server (off by default). */
  tls_reject_unauthorized: z.boolean({ message: "must be true or false" }),
  // null removes a stored value (back to the default).
  tls_servername: smtpTransportFields.tls_servername.nullable(),
  tls_min_version: smtpTransportFields.tls_min_version.nullable(),
  connection_timeout_ms: smtpTransportFields.connection_timeout_ms.nullable(),
  greeting_timeout_ms: smtpTransportFields.greeting_timeout_ms.nullable(),
  socket_timeout_ms: smtpTransportFields.socket_timeout_ms.nullable(),
  endpoint: z.url({ message: "must be a URL", protocol: /^https?$/ }).max(2048).nullable(),
  /** Authenticates provider events: SendGrid's verification key, Mailgun's signing key, Resend's whsec_ secret (null removes it). */
  webhook_signing_key: secretText.nullable(),
  /** SES: the SNS topic whose messages the event webhook accepts (null removes it). */
  sns_topic_arn: text(300).nullable(),
};

export const createProviderConnectionInput = z.strictObject({
  provider: z.enum(PROVIDER_NAMES, { message: `must be one of: ${PROVIDER_NAMES.join(", ")}` }),
  ...connectionFields,
  display_name: connectionFields.display_name.optional(),
  priority: connectionFields.priority.default(1),
  weight: connectionFields.weight.default(1),
  enabled: connectionFields.enabled.default(true),
  api_key: connectionFields.api_key.optional(),
  secret: connectionFields.secret.optional(),
  region: connectionFields.region.optional(),
  smtp_host: connectionFields.smtp_host.optional(),
  smtp_port: connectionFields.smtp_port.optional(),
  secure: connectionFields.secure.optional(),
  require_tls: connectionFields.require_tls.optional(),
  tls_reject_unauthorized: connectionFields.tls_reject_unauthorized.optional(),
  tls_servername: smtpTransportFields.tls_servername.optional(),
  tls_min_version: smtpTransportFields.tls_min_version.optional(),
  connection_timeout_ms: smtpTransportFields.connection_timeout_ms.optional(),
  greeting_timeout_ms: smtpTransportFields.greeting_timeout_ms.optional(),
  socket_timeout_ms: smtpTransportFields.socket_timeout_ms.optional(),
  endpoint: connectionFields.endpoint.optional(),
  webhook_signing_key: secretText.optional(),
  sns_topic_arn: text(300).optional(),
});

export const updateProviderConnectionInput = z
  .strictObject(Object.fromEntries(Object.entries(connectionFields).map(([k, v]) => [k, v.optional()])) as { [K in keyof typeof connectionFields]: z.ZodOptional<(typeof connectionFields)[K]> })
  .refine((v) => Object.keys(v).length > 0, { message: "Nothing to update: send at least one field" });

export type CreateProviderConnectionInput = z.infer<typeof createProviderConnectionInput>;
export type UpdateProviderConnectionInput = z.infer<typeof updateProviderConnectionInput>;

/** The fields as stored: credentials (encrypted) and settings (plain). */
export interface ConnectionFields {
  api_key?: string;
  secret?: string;
  region?: string;
  smtp_host?: string;
  smtp_port?: number;
  secure?: boolean;
  require_tls?: boolean;
  tls_reject_unauthorized?: boolean;
  tls_servername?: string | null;
  tls_min_version?: SmtpTlsVersion | null;
  connection_timeout_ms?: number | null;
  greeting_timeout_ms?: number | null;
  socket_timeout_ms?: number | null;
  endpoint?: string | null;
}

const REQUIRED: Record<ProviderName, (keyof ConnectionFields)[]> = {
  sendgrid: ["api_key"],
  mailgun: ["api_key", "smtp_host"],
  aws_ses: ["api_key", "secret", "region"],
  postmark: ["api_key"],
  resend: ["api_key"],
  smtp: ["smtp_host", "smtp_port"],
};

const LABEL: Partial<Record<ProviderName, Partial<Record<keyof ConnectionFields, string>>>> = {
  mailgun: { smtp_host: "smtp_host (the Mailgun sending domain)" },
  aws_ses: { api_key: "api_key (the access key ID)", secret: "secret (the secret access key)" },
  postmark: { api_key: "api_key (the server token)" },
};

/** Fields that mean nothing for a provider are refused rather than stored and silently ignored. */
const ALLOWED: Record<ProviderName, (keyof ConnectionFields)[]> = {
  sendgrid: ["api_key", "endpoint"],
  mailgun: ["api_key", "smtp_host", "region", "endpoint"],
  aws_ses: ["api_key", "secret", "region", "endpoint"],
  postmark: ["api_key", "endpoint"],
  resend: ["api_key", "endpoint"],
  smtp: ["smtp_host", "smtp_port", "api_key", "secret", "secure", "require_tls", "tls_reject_unauthorized", "tls_servername", "tls_min_version", "connection_timeout_ms", "greeting_timeout_ms", "socket_timeout_ms"],
};

/** Readable messages for every missing, misplaced or inconsistent field of the merged connection. */
export function connectionFieldErrors(provider: ProviderName, fields: ConnectionFields): string[] {
  const errors: string[] = [];
  for (const field of REQUIRED[provider]) {
    if (fields[field] === undefined || fields[field] === null) errors.push(`${LABEL[provider]?.[field] ?? field} is required for ${provider}`);
  }
  for (const field of Object.keys(fields) as (keyof ConnectionFields)[]) {
    if (fields[field] !== undefined && fields[field] !== null && !ALLOWED[provider].includes(field)) errors.push(`${field} does not apply to ${provider}`);
  }
  if (provider === "mailgun" && fields.region !== undefined && !["us", "eu"].includes(fields.region)) errors.push("region must be us or eu for mailgun");
  if (provider === "smtp" && (fields.api_key === undefined) !== (fields.secret === undefined)) {
    errors.push("api_key (the SMTP username) and secret (the SMTP password) go together");
  }
  if (provider === "smtp" && fields.secure && fields.require_tls) errors.push("require_tls applies to STARTTLS; with secure (implicit TLS) leave it out");
  return errors;
}

export const CREDENTIAL_FIELDS = ["api_key", "secret"] as const;

/** Settings that decide where the stored credentials are sent: host (endpoint, region, domain), port, TLS. */
export const DESTINATION_FIELDS = ["endpoint", "region", "smtp_host", "smtp_port", "secure", "require_tls", "tls_reject_unauthorized", "tls_servername", "tls_min_version"] as const;

/**
 * Stored credentials never go to a new destination: when an update changes any destination field, every
 * credential the connection holds must come with it (otherwise a key written for one host could be
 * replayed against a host of the caller's choosing, by whoever can edit the connection).
 */
export function credentialResendErrors(stored: Pick<ConnectionFields, "api_key" | "secret">, sent: Pick<ConnectionFields, "api_key" | "secret">, changed: string[]): string[] {
  if (changed.length === 0) return [];
  const fields = changed.length === 1 ? `${changed[0]} changes` : `${changed.slice(0, -1).join(", ")} and ${changed.at(-1)} change`;
  return CREDENTIAL_FIELDS.filter((field) => stored[field] !== undefined && sent[field] === undefined).map(
    (field) => `${field} must be sent again when ${fields} (stored credentials never go to a new destination)`,
  );
}
