/**
 * The headers the document promises are the ones the handlers send: the rate-limit and pagination headers
 * of a list, and POST /emails's Idempotency-Key request header with the Idempotent-Replayed answer.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { call, signUp } from "../../helpers/api";

type Doc = { paths: Record<string, Record<string, any>>; components: { headers: Record<string, unknown> } };
let doc: Doc;
let apiKey: string;

beforeAll(async () => {
  doc = (await call("GET", "/api/v1/openapi.json")).body;
  ({ apiKey } = await signUp("Headers"));
});

/** Header names of a documented response, its `$ref`s resolved to the components' names. */
function documentedHeaders(path: string, method: string, status: string): string[] {
  const response = doc.paths[path]![method]!.responses[status];
  expect(response, `${method} ${path} ${status}`).toBeDefined();
  return Object.keys(response.headers ?? {});
}

const email = (to: string) => ({ from_email: "hello@yourapp.com", to_email: to, subject: "Order confirmation", text_body: "Your order #1234 is confirmed." });

describe("documented headers", () => {
  it("a list answers every header its documented 200 names", async () => {
    const names = documentedHeaders("/emails", "get", "200");
    expect(names).toEqual(expect.arrayContaining(["X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset", "X-Total-Count", "X-Page", "X-Per-Page"]));
    const res = await call("GET", "/api/v1/emails?per_page=5", { token: apiKey });
    expect(res.status).toBe(200);
    for (const name of names) expect(res.headers.get(name), name).toMatch(/^\d+$|^[\w.:-]+$/);
    expect(res.headers.get("x-per-page")).toBe("5");
  });

  it("POST /emails with the documented Idempotency-Key header sends once and replays with Idempotent-Replayed", async () => {
    const params = doc.paths["/emails"]!.post!.parameters as { in: string; name: string }[];
    expect(params.some((p) => p.in === "header" && p.name === "Idempotency-Key")).toBe(true);
    expect(documentedHeaders("/emails", "post", "202")).toContain("Idempotent-Replayed");

    const key = `order-${Date.now()}`;
    const first = await call("POST", "/api/v1/emails", { token: apiKey, body: email("first@example.com"), headers: { "idempotency-key": key } });
    expect(first.status, first.text).toBe(202);
    expect(first.headers.get("idempotent-replayed")).toBeNull();
    const again = await call("POST", "/api/v1/emails", { token: apiKey, body: email("first@example.com"), headers: { "idempotency-key": key } });
    expect(again.status).toBe(202);
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect(again.body.id).toBe(first.body.id);
    // The same key in metadata is the same key: the header stands for it.
    const inMetadata = await call("POST", "/api/v1/emails", { token: apiKey, body: { ...email("first@example.com"), metadata: { idempotency_key: key } } });
    expect(inMetadata.body.id).toBe(first.body.id);
    // metadata's own key wins over the header.
    const own = await call("POST", "/api/v1/emails", { token: apiKey, body: { ...email("second@example.com"), metadata: { idempotency_key: `${key}-own` } }, headers: { "idempotency-key": key } });
    expect(own.status).toBe(202);
    expect(own.body.id).not.toBe(first.body.id);
    expect(own.headers.get("idempotent-replayed")).toBeNull();
  });

  it("refuses a blank Idempotency-Key with the documented 422 body", async () => {
    expect(doc.paths["/emails"]!.post!.responses["422"]).toEqual({ $ref: "#/components/responses/ValidationFailed" });
    const res = await call("POST", "/api/v1/emails", { token: apiKey, body: email("third@example.com"), headers: { "idempotency-key": " " } });
    expect(res.status).toBe(422);
    expect(res.body).toEqual({ errors: ["Idempotency-Key header can't be blank"] });
  });
});
