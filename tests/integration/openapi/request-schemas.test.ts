/**
 * The request schemas in the document are the handlers' own: a JSON Schema validator (Ajv, draft 2020-12 as
 * OpenAPI 3.1 uses) over the served document accepts and rejects what the real handler does, and every
 * documented body lists exactly the fields, and the required fields, of the zod schema the route validates with.
 */
import { dereference } from "@readme/openapi-parser";
import Ajv2020 from "ajv/dist/2020";
import { beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { OPERATIONS } from "@/server/openapi/operations";
import { call, signUp } from "../../helpers/api";

type Doc = { paths: Record<string, Record<string, any>> };
let doc: Doc;
let apiKey: string;
// Formats (email, date-time) are the handler's to check; the structure is what this compares.
const ajv = new Ajv2020({ strict: false, validateFormats: false, allErrors: true });

beforeAll(async () => {
  doc = await dereference(structuredClone((await call("GET", "/api/v1/openapi.json")).body));
  ({ apiKey } = await signUp("OpenAPI"));
});

function bodySchema(method: string, path: string) {
  return doc.paths[path]![method]!.requestBody.content["application/json"].schema;
}

function querySchema(path: string) {
  const params = doc.paths[path]!.get!.parameters as { in: string; name: string; schema: object; required?: boolean }[];
  const query = params.filter((p) => p.in === "query");
  return { type: "object", properties: Object.fromEntries(query.map((p) => [p.name, p.schema])), required: query.filter((p) => p.required).map((p) => p.name) };
}

const email = { from_email: "hello@yourapp.com", to_email: "user@example.com", subject: "Hello from CourierX", html_body: "<h1>It works!</h1>" };

const BODY_CASES: { name: string; method: "post"; path: string; body: Record<string, unknown>; accepted: boolean }[] = [
  { name: "the seed's curl send", method: "post", path: "/emails", body: email, accepted: true },
  { name: "a send without subject", method: "post", path: "/emails", body: { ...email, subject: undefined }, accepted: false },
  { name: "a send without to_email", method: "post", path: "/emails", body: { ...email, to_email: undefined }, accepted: false },
  { name: "a send with an unknown field", method: "post", path: "/emails", body: { ...email, cc: "x@example.com" }, accepted: false },
  { name: "a send with 11 tags", method: "post", path: "/emails", body: { ...email, tags: Array.from({ length: 11 }, (_, i) => `t${i}`) }, accepted: false },
  { name: "a send with a nested metadata object", method: "post", path: "/emails", body: { ...email, metadata: { user: { id: 1 } } }, accepted: false },
  { name: "a send with an attachment without content", method: "post", path: "/emails", body: { ...email, attachments: [{ filename: "a.pdf" }] }, accepted: false },
  { name: "a send with tags and metadata", method: "post", path: "/emails", body: { ...email, tags: ["welcome"], metadata: { idempotency_key: `k-${Date.now()}`, user_id: 7 } }, accepted: true },
  { name: "a key with a name", method: "post", path: "/api_keys", body: { name: "Staging" }, accepted: true },
  { name: "a key of an unknown mode", method: "post", path: "/api_keys", body: { name: "Staging", mode: "admin" }, accepted: false },
  { name: "a suppression for an unknown reason", method: "post", path: "/suppressions", body: { email: "x@example.com", reason: "spam" }, accepted: false },
  { name: "a manual suppression", method: "post", path: "/suppressions", body: { email: "x@example.com", reason: "manual" }, accepted: true },
  { name: "a routing rule without providers", method: "post", path: "/routing_rules", body: { name: "Rule" }, accepted: false },
];

const QUERY_CASES: { name: string; path: string; query: Record<string, string>; accepted: boolean }[] = [
  { name: "a status filter", path: "/emails", query: { status: "delivered" }, accepted: true },
  { name: "an unknown status", path: "/emails", query: { status: "lost" }, accepted: false },
  { name: "an unknown period", path: "/analytics/metrics", query: { period: "1y" }, accepted: false },
  { name: "a known period", path: "/analytics/metrics", query: { period: "30d" }, accepted: true },
];

describe("the document's request schemas decide as the handlers do", () => {
  it.each(BODY_CASES)("$method $path: $name", async ({ method, path, body, accepted }) => {
    const valid = ajv.validate(bodySchema(method, path), JSON.parse(JSON.stringify(body)));
    expect(valid, JSON.stringify(ajv.errors)).toBe(accepted);
    const res = await call(method.toUpperCase(), `/api/v1${path}`, { token: apiKey, body });
    if (accepted) expect(res.status, res.text).toBeLessThan(300);
    else expect(res.status, res.text).toBe(422);
  });

  it.each(QUERY_CASES)("GET $path: $name", async ({ path, query, accepted }) => {
    // Query values arrive as strings; the document types page/per_page as integers (the handler coerces them).
    expect(ajv.validate(querySchema(path), query), JSON.stringify(ajv.errors)).toBe(accepted);
    const res = await call("GET", `/api/v1${path}?${new URLSearchParams(query)}`, { token: apiKey });
    expect(res.status, res.text).toBe(accepted ? 200 : 422);
  });

  it("marks the address fields (a trimmed string piped into z.email()) with the email format", () => {
    for (const [path, field] of [["/emails", "from_email"], ["/emails", "to_email"], ["/auth/register", "email"], ["/suppressions", "email"]] as const) {
      expect(bodySchema("post", path).properties[field], `${path} ${field}`).toMatchObject({ type: "string", format: "email", maxLength: 254 });
    }
    expect(bodySchema("post", "/emails").properties.subject.format).toBeUndefined();
  });

  it("lists, for every body, exactly the fields and required fields of the route's zod schema", () => {
    let checked = 0;
    for (const entry of OPERATIONS) {
      if (!entry.body || !(entry.body.schema instanceof z.ZodObject)) continue;
      const shape = entry.body.schema.shape as Record<string, z.ZodType>;
      const documented = bodySchema(entry.method, entry.path);
      const name = `${entry.method.toUpperCase()} ${entry.path}`;
      expect(Object.keys(documented.properties).sort(), name).toEqual(Object.keys(shape).sort());
      const required = Object.keys(shape).filter((k) => !shape[k]!.safeParse(undefined).success);
      expect([...(documented.required ?? [])].sort(), name).toEqual(required.sort());
      expect(documented.additionalProperties, name).toBe(false);
      checked++;
    }
    expect(checked).toBeGreaterThanOrEqual(10);
  });
});
