/**
 * Every /api/v1 endpoint with the schema its route validates with, what a success looks like, and what a
 * valid request needs that the schema cannot say (an existing connection, a matching password, loopback
 * targets so verification never leaves the machine). The suite checks this list against the app/api/v1
 * tree, so a new route file without an entry here fails.
 */
import fc from "fast-check";
import { generateKeyPairSync, randomBytes } from "node:crypto";
import { createApiKeyInput } from "@/server/services/api-keys/schemas";
import { metricsQuery, usageQuery } from "@/server/services/analytics/schemas";
import { createDomainInput } from "@/server/services/domains/schemas";
import { createWebhookEndpointInput, listWebhookDeliveriesQuery, updateWebhookEndpointInput } from "@/server/services/webhooks/schemas";
import { loginInput, registerInput } from "@/server/services/accounts/schemas";
import { BATCH_MAX_REQUEST_BYTES, listEmailsQuery, SEND_MAX_REQUEST_BYTES, sendEmailInput } from "@/server/services/emails/schemas";
import { z } from "zod";
import { connectionFieldErrors, createProviderConnectionInput, updateProviderConnectionInput } from "@/server/services/provider-connections/schemas";
import { createRoutingRuleInput, updateRoutingRuleInput } from "@/server/services/routing/schemas";
import { createSuppressionInput, listSuppressionsQuery } from "@/server/services/suppressions/schemas";
import { DEFAULT_MAX_BODY_BYTES } from "@/server/http/body";
import { paginationQuery } from "@/server/lib/pagination";
import type { ProviderName } from "@/server/providers/types";
import { emailAddressArbitrary, type Hints, jsonSchemaOf, type JsonSchema, schemaArbitrary } from "./schema-arbitrary";
import type { Kind, World } from "./world";

export type Method = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
export const METHODS: readonly Method[] = ["GET", "POST", "PUT", "PATCH", "DELETE"];

export interface Endpoint {
  method: Method;
  /** Template with `:id` for the row id (and `child.placeholder` for a second one). */
  path: string;
  auth: "token" | "public";
  idKind?: Kind;
  /** A second id in the path: a row of `kind` that belongs to the `:id` row (world.parentOf); anything else must be 404. */
  child?: { placeholder: string; kind: Kind };
  /** Row ids of the caller's tenant are rows made for the request (the request deletes or revokes them). */
  consumesRow?: boolean;
  /** `valid` needs the seeded rows (connection ids, the login account, the loopback port). */
  body?: { schema: JsonSchema; valid: (world: World) => fc.Arbitrary<unknown>; maxBytes: number };
  query?: { schema: JsonSchema; valid: fc.Arbitrary<Record<string, unknown>> };
  /** "any": a JSON object or array (a path that may reach another route). */
  success: { statuses: number[]; shape: "object" | "array" | "empty" | "any" };
  /** Test keys may not do this (issue 13 item 1). */
  changesConfig?: boolean;
  /** A list of rows: no other tenant's id may appear in it. */
  lists?: boolean;
  /** Accepted bodies cost a password hash (~90 ms of scrypt): mostly send mutated ones. */
  costly?: boolean;
  /** The answer's `test` says which mode's data it counted: a test key's must say true. */
  reportsMode?: boolean;
}

export const label = (e: Pick<Endpoint, "method" | "path">) => `${e.method} ${e.path}`;

function body(zod: Parameters<typeof jsonSchemaOf>[0], valid: (schema: JsonSchema, world: World) => fc.Arbitrary<unknown>, maxBytes = DEFAULT_MAX_BODY_BYTES): NonNullable<Endpoint["body"]> {
  const schema = jsonSchemaOf(zod);
  return { schema, valid: (world) => valid(schema, world), maxBytes };
}

function query(zod: Parameters<typeof jsonSchemaOf>[0], hints: Hints = {}): NonNullable<Endpoint["query"]> {
  const schema = jsonSchemaOf(zod);
  return { schema, valid: schemaArbitrary(schema, hints) as fc.Arbitrary<Record<string, unknown>> };
}

const domainName = fc.tuple(fc.stringMatching(/^[a-z0-9]{1,12}$/), fc.constantFrom("example.com", "yourapp.io", "mail.test")).map(([l, d]) => `${l}.${d}`);
const loopback = (world: World) => `http://127.0.0.1:${world.resetPort}`;

function ruleHints(world: World): Hints {
  const connectionId = fc.oneof(
    { weight: 8, arbitrary: fc.constantFrom(...world.a.ids.connection) },
    { weight: 1, arbitrary: fc.constantFrom(...world.b.ids.connection) },
    { weight: 1, arbitrary: fc.uuid({ version: 4 }) },
  );
  return {
    "conditions.from_domains[]": domainName,
    "conditions.tags[]": fc.stringMatching(/^[a-z0-9_.:-]{1,20}$/),
    "providers[].connection_id": connectionId,
  };
}

const emailHints: Hints = {
  from_email: emailAddressArbitrary,
  to_email: emailAddressArbitrary,
  reply_to: emailAddressArbitrary,
  "metadata{key}": fc.oneof(fc.constant("idempotency_key"), fc.stringMatching(/^[a-z_]{1,20}$/)),
  "metadata{}": fc.oneof(fc.string({ maxLength: 30 }), fc.integer(), fc.boolean()),
  "headers{key}": fc.stringMatching(/^X-[A-Za-z0-9-]{1,20}$/),
  "headers{}": fc.stringMatching(/^[ -~]{0,40}$/),
  "attachments[].filename": fc.stringMatching(/^[a-z0-9_-]{1,20}\.(pdf|txt|png)$/),
  "attachments[].content": fc.base64String({ maxLength: 200 }).filter((s) => s.length > 0),
};

/** Event-webhook keys each provider accepts (SendGrid: a P-256 public key, bare or PEM; Resend: whsec_; Mailgun: a token). */
const sendgridKey = generateKeyPairSync("ec", { namedCurve: "prime256v1" }).publicKey.export({ type: "spki", format: "der" }).toString("base64");
const SIGNING_KEYS: Partial<Record<ProviderName, string[]>> = {
  sendgrid: [sendgridKey, `-----BEGIN PUBLIC KEY-----\n${sendgridKey}\n-----END PUBLIC KEY-----\n`],
  resend: [`whsec_${randomBytes(24).toString("base64")}`],
  mailgun: [randomBytes(16).toString("hex")],
};
const SNS_TOPIC_ARNS = ["arn:aws:sns:us-east-1:123456789012:courierx-events", "arn:aws:sns:eu-west-1:210987654321:ses.fifo"];
const signingKey = fc.constantFrom(...Object.values(SIGNING_KEYS).flat());
const snsTopicArn = fc.constantFrom(...SNS_TOPIC_ARNS);

function connectionHints(world: World): Hints {
  return {
    smtp_host: fc.constantFrom("127.0.0.1", "localhost"),
    smtp_port: fc.constant(world.resetPort),
    region: fc.constantFrom("us", "eu", "us-east-1"),
    endpoint: fc.constantFrom(loopback(world), `${loopback(world)}/v3`, null),
    webhook_signing_key: signingKey,
    sns_topic_arn: snsTopicArn,
  };
}

/** A PATCH may also remove the event-webhook settings (null). */
function connectionPatchHints(world: World): Hints {
  return { ...connectionHints(world), webhook_signing_key: fc.option(signingKey, { nil: null }), sns_topic_arn: fc.option(snsTopicArn, { nil: null }) };
}

/** Webhook URLs on the loopback receiver (answers 200), in the spellings a user writes. */
function webhookHints(world: World): Hints {
  return {
    url: fc.oneof(fc.constantFrom(world.receiverUrl, `${world.receiverUrl}/`, world.receiverUrl.replace("127.0.0.1", "localhost")), fc.stringMatching(/^[a-z0-9_-]{1,20}$/).map((p) => `${world.receiverUrl}/hooks/${p}?source=courierx`)),
    description: fc.option(fc.stringMatching(/^[A-Za-z0-9 .,-]{0,60}$/), { nil: null }),
    // Mostly active: an inactive endpoint answers test and replay 422 (PATCH runs after them anyway).
    active: fc.oneof({ weight: 3, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
  };
}

/** Names the domain check accepts: several spellings (case, trailing dot, internationalized) of fresh names. */
const domainInput = fc.oneof(
  { weight: 4, arbitrary: fc.tuple(fc.stringMatching(/^[a-z0-9]([a-z0-9-]{0,20}[a-z0-9])?$/), fc.constantFrom("example.com", "yourapp.io", "mail.yourapp.com")).map(([l, d]) => `${l}.${d}`) },
  { weight: 1, arbitrary: fc.stringMatching(/^[a-z0-9]{1,12}$/).map((l) => `${l.toUpperCase()}.YourApp.COM.`) },
  { weight: 1, arbitrary: fc.stringMatching(/^[a-z0-9]{1,12}$/).map((l) => `bücher-${l}.example`) },
  // The seeded names: a 422 (already registered) for its tenant, a 201 for the other.
  { weight: 1, arbitrary: fc.constantFrom("tenanta.yourapp.com", "tenantb.yourapp.com") },
);

/** Usage ranges the service accepts: from ≤ to, at most 366 days, from 1970 on (either end may be left out). */
const usageRange = fc
  .tuple(fc.date({ min: new Date("1970-01-01T00:00:00Z"), max: new Date("2100-01-01T00:00:00Z"), noInvalidDate: true }), fc.integer({ min: 0, max: 365 }), fc.constantFrom("both", "from", "to", "none"), fc.constantFrom("true", "false", undefined))
  .map(([start, days, ends, test]) => {
    const day = (d: Date) => d.toISOString().slice(0, 10);
    const from = day(start);
    const to = day(new Date(start.getTime() + days * 86_400_000));
    return { ...(ends === "both" || ends === "from" ? { from } : {}), ...(ends === "both" || ends === "to" ? { to } : {}), ...(test !== undefined ? { test } : {}) } as Record<string, unknown>;
  });

const record = (a: fc.Arbitrary<unknown>) => a as fc.Arbitrary<Record<string, unknown>>;
const object = (statuses: number[] = [200]) => ({ statuses, shape: "object" as const });
const array = { statuses: [200], shape: "array" as const };
const empty = { statuses: [204], shape: "empty" as const };
const pages = query(paginationQuery);

export const ENDPOINTS: readonly Endpoint[] = [
  {
    method: "POST",
    path: "/api/v1/auth/register",
    auth: "public",
    body: body(registerInput, (schema) => record(schemaArbitrary(schema, { email: emailAddressArbitrary })).map((b) => ({ ...b, password_confirmation: b.password }))),
    success: object([201]),
    costly: true,
  },
  {
    method: "POST",
    path: "/api/v1/auth/login",
    auth: "public",
    body: body(loginInput, (schema, world) =>
      fc.oneof(
        fc.constant({ email: world.login.email, password: world.login.password }),
        fc.constant({ email: world.login.email.toUpperCase(), password: world.login.password }),
        schemaArbitrary(schema, { email: fc.oneof(emailAddressArbitrary, fc.constant(world.aEmail)) }),
      ),
    ),
    success: object(),
    costly: true,
  },
  { method: "GET", path: "/api/v1/auth/me", auth: "token", success: object() },
  {
    method: "POST",
    path: "/api/v1/emails",
    auth: "token",
    body: body(sendEmailInput, (schema) => record(schemaArbitrary(schema, emailHints)).map(repairEmail), SEND_MAX_REQUEST_BYTES),
    success: object([202]),
  },
  {
    method: "GET",
    path: "/api/v1/emails",
    auth: "token",
    query: query(paginationQuery.extend(listEmailsQuery.shape), { recipient: fc.oneof(fc.constantFrom("user", "example.com", "A-test"), fc.string({ minLength: 1, maxLength: 20 })) }),
    success: array,
    lists: true,
  },
  { method: "GET", path: "/api/v1/emails/:id", auth: "token", idKind: "email", success: object() },
  {
    method: "POST",
    path: "/api/v1/emails/batch",
    auth: "token",
    // The route checks the envelope, then each item alone with sendEmailInput (an item's 422 is inside the 202).
    body: body(
      z.strictObject({ emails: z.array(sendEmailInput).min(1).max(100) }),
      () => fc.array(record(schemaArbitrary(jsonSchemaOf(sendEmailInput), emailHints)).map(repairEmail), { minLength: 1, maxLength: 3 }).map((emails) => ({ emails })),
      BATCH_MAX_REQUEST_BYTES,
    ),
    success: object([202]),
  },
  // The seeded email has gone (409) unless a fuzzed cancel reaches it while it is still queued (200).
  { method: "POST", path: "/api/v1/emails/:id/cancel", auth: "token", idKind: "email", success: object() },
  { method: "POST", path: "/api/v1/api_keys", auth: "token", body: body(createApiKeyInput, (schema) => schemaArbitrary(schema)), success: object([201]), changesConfig: true },
  { method: "GET", path: "/api/v1/api_keys", auth: "token", query: pages, success: array, lists: true },
  { method: "DELETE", path: "/api/v1/api_keys/:id", auth: "token", idKind: "apiKey", consumesRow: true, success: empty, changesConfig: true },
  { method: "POST", path: "/api/v1/api_keys/:id/revoke", auth: "token", idKind: "apiKey", consumesRow: true, success: object(), changesConfig: true },
  {
    method: "POST",
    path: "/api/v1/provider_connections",
    auth: "token",
    body: body(createProviderConnectionInput, (schema, world) => record(schemaArbitrary(schema, connectionHints(world))).map((b) => repairConnection(b, loopback(world), world.resetPort))),
    success: object([201]),
    changesConfig: true,
  },
  { method: "GET", path: "/api/v1/provider_connections", auth: "token", query: pages, success: array, lists: true },
  { method: "GET", path: "/api/v1/provider_connections/:id", auth: "token", idKind: "connection", success: object() },
  {
    method: "PATCH",
    path: "/api/v1/provider_connections/:id",
    auth: "token",
    idKind: "connection",
    body: body(updateProviderConnectionInput, (schema, world) =>
      fc.oneof(
        // Settings that need no credentials: the patches that can succeed on every provider.
        fc
          .record(
            { display_name: fc.stringMatching(/^[A-Za-z0-9 ]{1,30}$/).filter((s) => s.trim() !== ""), priority: fc.integer({ min: 0, max: 1000 }), weight: fc.integer({ min: 0, max: 1000 }), enabled: fc.boolean() },
            { requiredKeys: [] },
          )
          .filter((b) => Object.keys(b).length > 0),
        record(schemaArbitrary(schema, { ...connectionPatchHints(world), api_key: fc.constant("SG.rotated-fuzz-key") })).filter((b) => Object.keys(b).length > 0),
      ),
    ),
    success: object(),
    changesConfig: true,
  },
  { method: "DELETE", path: "/api/v1/provider_connections/:id", auth: "token", idKind: "connection", consumesRow: true, success: empty, changesConfig: true },
  { method: "POST", path: "/api/v1/provider_connections/:id/verify", auth: "token", idKind: "connection", success: object(), changesConfig: true },
  // Postmark only (each tenant has one seeded): the other providers answer 422.
  { method: "POST", path: "/api/v1/provider_connections/:id/rotate_webhook_credentials", auth: "token", idKind: "connection", success: object(), changesConfig: true },
  {
    method: "POST",
    path: "/api/v1/routing_rules",
    auth: "token",
    body: body(createRoutingRuleInput, (schema, world) => record(schemaArbitrary(schema, ruleHints(world))).map(repairRule)),
    success: object([201]),
    changesConfig: true,
  },
  { method: "GET", path: "/api/v1/routing_rules", auth: "token", query: pages, success: array, lists: true },
  { method: "GET", path: "/api/v1/routing_rules/:id", auth: "token", idKind: "rule", success: object() },
  {
    method: "PATCH",
    path: "/api/v1/routing_rules/:id",
    auth: "token",
    idKind: "rule",
    body: body(updateRoutingRuleInput, (schema, world) => record(schemaArbitrary(schema, ruleHints(world))).map((b) => (Object.keys(b).length === 0 ? { enabled: true } : repairRule(b)))),
    success: object(),
    changesConfig: true,
  },
  { method: "DELETE", path: "/api/v1/routing_rules/:id", auth: "token", idKind: "rule", consumesRow: true, success: empty, changesConfig: true },
  {
    method: "POST",
    path: "/api/v1/suppressions",
    auth: "token",
    body: body(createSuppressionInput, (schema) => schemaArbitrary(schema, { email: emailAddressArbitrary })),
    success: object([200, 201]),
    changesConfig: true,
  },
  { method: "GET", path: "/api/v1/suppressions", auth: "token", query: query(paginationQuery.extend(listSuppressionsQuery.shape)), success: array, lists: true },
  { method: "DELETE", path: "/api/v1/suppressions/:id", auth: "token", idKind: "suppression", consumesRow: true, success: empty, changesConfig: true },
  { method: "POST", path: "/api/v1/domains", auth: "token", body: body(createDomainInput, (schema) => schemaArbitrary(schema, { domain: domainInput })), success: object([201]), changesConfig: true },
  { method: "GET", path: "/api/v1/domains", auth: "token", query: pages, success: array, lists: true },
  { method: "GET", path: "/api/v1/domains/:id", auth: "token", idKind: "domain", success: object() },
  // DNS on loopback (world.ts): A's seeded domain verifies, every other name is NXDOMAIN at once.
  { method: "POST", path: "/api/v1/domains/:id/verify", auth: "token", idKind: "domain", success: object(), changesConfig: true },
  { method: "DELETE", path: "/api/v1/domains/:id", auth: "token", idKind: "domain", consumesRow: true, success: empty, changesConfig: true },
  { method: "GET", path: "/api/v1/analytics/metrics", auth: "token", query: query(metricsQuery), success: object(), reportsMode: true },
  { method: "GET", path: "/api/v1/analytics/usage", auth: "token", query: { schema: jsonSchemaOf(usageQuery), valid: usageRange }, success: object(), reportsMode: true },
  {
    method: "POST",
    path: "/api/v1/webhook_endpoints",
    auth: "token",
    body: body(createWebhookEndpointInput, (schema, world) => schemaArbitrary(schema, webhookHints(world))),
    success: object([201]),
    changesConfig: true,
  },
  { method: "GET", path: "/api/v1/webhook_endpoints", auth: "token", query: pages, success: array, lists: true },
  { method: "GET", path: "/api/v1/webhook_endpoints/:id", auth: "token", idKind: "webhook", success: object() },
  { method: "GET", path: "/api/v1/webhook_endpoints/:id/deliveries", auth: "token", idKind: "webhook", query: query(paginationQuery.extend(listWebhookDeliveriesQuery.shape)), success: array, lists: true },
  // Test and replay write a delivery and request its run (no engine runs here, so it stays pending).
  { method: "POST", path: "/api/v1/webhook_endpoints/:id/test", auth: "token", idKind: "webhook", success: object([202]), changesConfig: true },
  {
    method: "POST",
    path: "/api/v1/webhook_endpoints/:id/deliveries/:deliveryId/replay",
    auth: "token",
    idKind: "webhook",
    child: { placeholder: ":deliveryId", kind: "delivery" },
    success: object([202]),
    changesConfig: true,
  },
  { method: "POST", path: "/api/v1/webhook_endpoints/:id/rotate_secret", auth: "token", idKind: "webhook", success: object(), changesConfig: true },
  // After test and replay: a PATCH may deactivate the seeded endpoints, which those then answer 422.
  {
    method: "PATCH",
    path: "/api/v1/webhook_endpoints/:id",
    auth: "token",
    idKind: "webhook",
    body: body(updateWebhookEndpointInput, (schema, world) => record(schemaArbitrary(schema, webhookHints(world))).map((b) => (Object.keys(b).length === 0 ? { active: true } : b))),
    success: object(),
    changesConfig: true,
  },
  { method: "DELETE", path: "/api/v1/webhook_endpoints/:id", auth: "token", idKind: "webhook", consumesRow: true, success: empty, changesConfig: true },
];

const RESERVED = /^(from|to|cc|bcc|subject|reply-to|sender|date|message-id|content-type|content-transfer-encoding|mime-version|return-path)$/i;

/** The send schema's refinements: a body, a usable idempotency key, no reserved header names. */
function repairEmail(b: Record<string, unknown>): Record<string, unknown> {
  const out = { ...b };
  if (!(typeof out.text_body === "string" && out.text_body.trim()) && !(typeof out.html_body === "string" && out.html_body.trim())) out.text_body = "Hello from the fuzz suite";
  // A generated date-time is rarely within the next 30 days.
  if ("scheduled_at" in out) out.scheduled_at = new Date(Date.now() + 60_000).toISOString();
  const metadata = out.metadata as Record<string, unknown> | undefined;
  if (metadata && "idempotency_key" in metadata && !(typeof metadata.idempotency_key === "string" && metadata.idempotency_key.length > 0)) out.metadata = { ...metadata, idempotency_key: "fuzz-order-1" };
  const headers = out.headers as Record<string, unknown> | undefined;
  if (headers) out.headers = Object.fromEntries(Object.entries(headers).filter(([k]) => !RESERVED.test(k)));
  return out;
}

/** Distinct connections, and a weighted rule with some weight. */
function repairRule(b: Record<string, unknown>): Record<string, unknown> {
  const out = { ...b };
  const providers = out.providers as { connection_id: string; weight?: number }[] | undefined;
  if (providers) {
    const seen = new Set<string>();
    const unique = providers.filter((p) => !seen.has(p.connection_id) && seen.add(p.connection_id));
    out.providers = out.strategy === "weighted" ? unique.map((p, i) => (i === 0 ? { ...p, weight: Math.max(1, p.weight ?? 1) } : p)) : unique;
  }
  return out;
}

const CONNECTION_FIELDS = ["api_key", "secret", "region", "smtp_host", "smtp_port", "secure", "require_tls", "tls_reject_unauthorized", "endpoint"];

const FIELD_DEFAULTS: Record<string, (provider: ProviderName, port: number) => unknown> = {
  api_key: () => "fuzz-api-key",
  secret: () => "fuzz-secret",
  region: (p) => (p === "aws_ses" ? "us-east-1" : "us"),
  smtp_host: (p) => (p === "smtp" ? "127.0.0.1" : "mg.example.com"),
  smtp_port: (_p, port) => port,
};

/**
 * Only the fields the provider takes, every field it requires, loopback targets for HTTP providers, and
 * event-webhook settings only where they apply, in the provider's format.
 */
function repairConnection(b: Record<string, unknown>, loopback: string, port: number): Record<string, unknown> {
  const provider = b.provider as ProviderName;
  const out: Record<string, unknown> = { ...b };
  if (provider !== "smtp") out.endpoint = typeof out.endpoint === "string" ? out.endpoint : loopback;
  for (let round = 0; round < 3; round++) {
    const fields = Object.fromEntries(CONNECTION_FIELDS.filter((k) => k in out).map((k) => [k, out[k]]));
    const errors = connectionFieldErrors(provider, fields);
    if (errors.length === 0) break;
    for (const error of errors) {
      const field = error.split(" ")[0]!;
      if (error.includes("does not apply")) delete out[field];
      else if (error.includes("is required")) out[field] = FIELD_DEFAULTS[field]?.(provider, port);
      else if (error.includes("go together")) Object.assign(out, { api_key: "fuzz-user", secret: "fuzz-password" });
      else if (field === "require_tls") delete out.require_tls;
      else if (field === "region") out.region = "us";
    }
  }
  const keys = SIGNING_KEYS[provider];
  if ("webhook_signing_key" in out) {
    if (keys) out.webhook_signing_key = keys.includes(out.webhook_signing_key as string) ? out.webhook_signing_key : keys[0];
    else delete out.webhook_signing_key;
  }
  if ("sns_topic_arn" in out && provider !== "aws_ses") delete out.sns_topic_arn;
  return out;
}
