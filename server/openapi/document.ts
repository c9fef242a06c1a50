/**
 * The OpenAPI 3.1 document of /api/v1, generated from the handlers' own zod schemas (request bodies and
 * query parameters) and from responses/ (what the presenters answer). Built once per process and served
 * by app/api/v1/openapi.json.
 */
import { createHash } from "node:crypto";
import { createDocument, type CreateDocumentOptions, type ZodOpenApiPathsObject } from "zod-openapi";
import { BEARER, errorBody, securitySchemes, validationErrorBody } from "./components";
import { operation } from "./operation";
import { OPERATIONS } from "./operations";
import { webhooks } from "./webhooks";

const DESCRIPTION = `One API to send transactional email through your own provider accounts (SendGrid, AWS SES, Mailgun, Postmark, Resend, SMTP), failing over to the next provider automatically.

**Authentication**: \`Authorization: Bearer cxk_live_…\` (or a \`cxk_test_…\` sandbox key, or the session JWT from \`POST /auth/login\`).

**Errors**: \`422 {"errors": […]}\` for invalid requests; every other error is \`{"error": "…"}\` — \`401 {"error": "Unauthorized"}\`, \`404 {"error": "Not found"}\`, \`429 {"error": "Rate limit exceeded"}\`.

**Rate limits**: every authenticated answer carries \`X-RateLimit-Limit\`, \`X-RateLimit-Remaining\` and \`X-RateLimit-Reset\` (Unix seconds); a 429 adds \`Retry-After\` (seconds).

**Pagination**: lists take \`page\` (from 1) and \`per_page\` (1–100, default 25) and answer a JSON array with \`X-Total-Count\`, \`X-Page\` and \`X-Per-Page\`.`;

const TAGS = [
  { name: "Authentication", description: "Accounts and session tokens." },
  { name: "Emails", description: "Send, list and follow emails." },
  { name: "API keys", description: "Live and test keys for your backend." },
  { name: "Provider connections", description: "Your own provider accounts, in failover order." },
  { name: "Domains", description: "Sending domains and their DNS." },
  { name: "Routing rules", description: "Which connections an email goes through." },
  { name: "Suppressions", description: "Addresses that are never sent to." },
  { name: "Webhook endpoints", description: "Event notifications to your URLs, signed." },
  { name: "Analytics", description: "Delivery metrics and usage." },
  { name: "OpenAPI", description: "This description of the API." },
];

const FORMATS_WITHOUT_PATTERN = new Set(["date-time", "date", "uuid", "email"]);

/**
 * zod spells its ISO date, UUID and email checks out as long regular expressions beside `format`; the
 * format says the same to a reader and a client generator, in a tenth of the document's size.
 */
const dropFormatPatterns: CreateDocumentOptions["override"] = ({ jsonSchema, zodSchema, io }) => {
  if (io === "input" && pipesIntoEmail(zodSchema)) jsonSchema.format = "email";
  if (typeof jsonSchema.format === "string" && FORMATS_WITHOUT_PATTERN.has(jsonSchema.format)) delete jsonSchema.pattern;
};

type SchemaNode = { _zod: { def: { type: string; format?: string; in?: SchemaNode; out?: SchemaNode } } };

/**
 * The address fields (accounts/schemas.ts emailAddress) trim a string, then pipe it into z.email(): a
 * request renders the string before the pipe, so the email format is added back here.
 */
function pipesIntoEmail(schema: SchemaNode): boolean {
  const def = schema._zod.def;
  if (def.type !== "pipe" || !def.in || !def.out) return false;
  return (def.out._zod.def.type === "string" && def.out._zod.def.format === "email") || pipesIntoEmail(def.in);
}

export function buildOpenApiDocument() {
  const paths: ZodOpenApiPathsObject = {};
  for (const entry of OPERATIONS) {
    const item = (paths[entry.path] ??= {});
    if (item[entry.method]) throw new Error(`OpenAPI registry: ${entry.method.toUpperCase()} ${entry.path} is listed twice`);
    item[entry.method] = operation(entry);
  }
  return createDocument({
    openapi: "3.1.0",
    info: { title: "CourierX API", version: "1.0.0", description: DESCRIPTION },
    servers: [{ url: "/api/v1", description: "This server" }],
    security: [{ [BEARER]: [] }],
    tags: TAGS,
    paths,
    webhooks,
    components: { securitySchemes, schemas: { Error: errorBody, ValidationErrors: validationErrorBody } },
  }, { override: dropFormatPatterns });
}

export type OpenApiDocument = ReturnType<typeof buildOpenApiDocument>;

let cached: { document: OpenApiDocument; json: string; etag: string } | undefined;

/** The document, its JSON and an ETag over it, computed on first use. */
export function openApiDocument(): { document: OpenApiDocument; json: string; etag: string } {
  if (!cached) {
    const document = buildOpenApiDocument();
    const json = JSON.stringify(document);
    cached = { document, json, etag: `"${createHash("sha256").update(json).digest("base64url").slice(0, 27)}"` };
  }
  return cached;
}
