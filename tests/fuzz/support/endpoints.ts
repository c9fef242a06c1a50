/**
 * Every /api/v1 endpoint with the schema its route validates with, what a success looks like, and what a
 * valid request needs that the schema cannot say (an existing connection, a matching password, loopback
 * targets so verification never leaves the machine). The suite checks this list against the app/api/v1
 * tree, so a new route file without an entry here fails.
 */
import fc from "fast-check";
import { createApiKeyInput } from "@/server/services/api-keys/schemas";
import { loginInput, registerInput } from "@/server/services/accounts/schemas";
import { listEmailsQuery, SEND_MAX_REQUEST_BYTES, sendEmailInput } from "@/server/services/emails/schemas";
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
  /** Template with `:id` for the row id. */
  path: string;
  auth: "token" | "public";
  idKind?: Kind;
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

function connectionHints(world: World): Hints {
  return {
    smtp_host: fc.constantFrom("127.0.0.1", "localhost"),
    smtp_port: fc.constant(world.resetPort),
    region: fc.constantFrom("us", "eu", "us-east-1"),
    endpoint: fc.constantFrom(loopback(world), `${loopback(world)}/v3`, null),
  };
}

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
        record(schemaArbitrary(schema, { ...connectionHints(world), api_key: fc.constant("SG.rotated-fuzz-key") })).filter((b) => Object.keys(b).length > 0),
      ),
    ),
    success: object(),
    changesConfig: true,
  },
  { method: "DELETE", path: "/api/v1/provider_connections/:id", auth: "token", idKind: "connection", consumesRow: true, success: empty, changesConfig: true },
  { method: "POST", path: "/api/v1/provider_connections/:id/verify", auth: "token", idKind: "connection", success: object(), changesConfig: true },
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
];

const RESERVED = /^(from|to|cc|bcc|subject|reply-to|sender|date|message-id|content-type|content-transfer-encoding|mime-version|return-path)$/i;

/** The send schema's refinements: a body, a usable idempotency key, no reserved header names. */
function repairEmail(b: Record<string, unknown>): Record<string, unknown> {
  const out = { ...b };
  if (!(typeof out.text_body === "string" && out.text_body.trim()) && !(typeof out.html_body === "string" && out.html_body.trim())) out.text_body = "Hello from the fuzz suite";
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

/** Only the fields the provider takes, every field it requires, and loopback targets for HTTP providers. */
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
  return out;
}
