/**
 * GET /api/v1/openapi.json, called through the route file's own handler: a valid OpenAPI 3.1 document
 * (@readme/openapi-parser), public, cacheable with an ETag, readable from any origin, and not the
 * catch-all's 404.
 */
import { compileErrors, validate } from "@readme/openapi-parser";
import { describe, expect, it } from "vitest";
import { call } from "../../helpers/api";

describe("GET /api/v1/openapi.json", () => {
  it("serves a valid OpenAPI 3.1 document without a credential", async () => {
    const res = await call("GET", "/api/v1/openapi.json");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^application\/json/);
    expect(res.body.openapi).toBe("3.1.0");
    const result = await validate(structuredClone(res.body));
    expect(result.valid, result.valid ? "" : compileErrors(result)).toBe(true);
    expect(result.warnings).toEqual([]);
  });

  it("is the same document for any caller, even one with a bad credential (it is not behind the wrapper)", async () => {
    const anonymous = await call("GET", "/api/v1/openapi.json");
    const garbage = await call("GET", "/api/v1/openapi.json", { token: "cxk_live_nope" });
    expect(garbage.status).toBe(200);
    expect(garbage.text).toBe(anonymous.text);
  });

  it("is cacheable, answers 304 to its ETag, and is readable from another origin", async () => {
    const res = await call("GET", "/api/v1/openapi.json", { headers: { origin: "https://docs.example.com" } });
    expect(res.headers.get("cache-control")).toBe("public, max-age=300");
    expect(res.headers.get("access-control-allow-origin")).toBe("*");
    const etag = res.headers.get("etag");
    expect(etag).toMatch(/^"[\w-]+"$/);
    const again = await call("GET", "/api/v1/openapi.json", { headers: { "if-none-match": etag! } });
    expect(again.status).toBe(304);
    expect(again.text).toBe("");
    const stale = await call("GET", "/api/v1/openapi.json", { headers: { "if-none-match": '"something-else"' } });
    expect(stale.status).toBe(200);

    const preflight = await call("OPTIONS", "/api/v1/openapi.json", { headers: { origin: "https://docs.example.com", "access-control-request-method": "GET" } });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get("access-control-allow-origin")).toBe("*");
    expect(preflight.headers.get("allow")).toBe("GET, HEAD, OPTIONS");
  });

  it("answers HEAD without a body and other methods with the API's 405", async () => {
    const head = await call("HEAD", "/api/v1/openapi.json");
    expect(head.status).toBe(200);
    expect(head.text).toBe("");
    const post = await call("POST", "/api/v1/openapi.json", { body: {} });
    expect(post.status).toBe(405);
    expect(post.body).toEqual({ error: "Method not allowed" });
    expect(post.headers.get("allow")).toBe("GET, HEAD, OPTIONS");
  });
});
