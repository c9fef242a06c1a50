/**
 * Every /api/v1 path answers JSON whatever the method: unsupported methods get the seed-shaped 405 with an
 * Allow header (Next.js's own is an empty 405), HEAD mirrors GET without a body, OPTIONS lists the
 * methods, unknown paths are the seed's 404. The helper calls each route file's own export, so these
 * statuses come from the real exports.
 */
import path from "node:path";
import { describe, expect, it } from "vitest";
import { call, routePaths, signUp } from "../../helpers/api";

const ALL = ["GET", "HEAD", "OPTIONS", "POST", "PUT", "PATCH", "DELETE"];
const SOME_ID = "00000000-0000-4000-8000-000000000000";
// The OpenAPI document is no API endpoint (no credential, no rate limit): tests/integration/openapi covers it.
const v1Routes = routePaths().filter((p) => p.startsWith("/api/v1/") && !p.includes("[...") && p !== "/api/v1/openapi.json");

function concrete(template: string): string {
  return template.replace(/\[(id|deliveryId)\]/g, SOME_ID);
}

/** What each route implements, as documented; the test fails when a route changes without this list. */
const EXPECTED_ALLOW: Record<string, string> = {
  "/api/v1/analytics/metrics": "GET, HEAD, OPTIONS",
  "/api/v1/analytics/usage": "GET, HEAD, OPTIONS",
  "/api/v1/api_keys": "GET, HEAD, OPTIONS, POST",
  "/api/v1/api_keys/[id]": "OPTIONS, DELETE",
  "/api/v1/api_keys/[id]/revoke": "OPTIONS, POST",
  "/api/v1/auth/login": "OPTIONS, POST",
  "/api/v1/auth/me": "GET, HEAD, OPTIONS",
  "/api/v1/auth/register": "OPTIONS, POST",
  "/api/v1/domains": "GET, HEAD, OPTIONS, POST",
  "/api/v1/domains/[id]": "GET, HEAD, OPTIONS, DELETE",
  "/api/v1/domains/[id]/verify": "OPTIONS, POST",
  "/api/v1/emails": "GET, HEAD, OPTIONS, POST",
  "/api/v1/emails/[id]": "GET, HEAD, OPTIONS",
  "/api/v1/emails/[id]/cancel": "OPTIONS, POST",
  "/api/v1/emails/batch": "OPTIONS, POST",
  "/api/v1/provider_connections": "GET, HEAD, OPTIONS, POST",
  "/api/v1/provider_connections/[id]": "GET, HEAD, OPTIONS, PATCH, DELETE",
  "/api/v1/provider_connections/[id]/rotate_webhook_credentials": "OPTIONS, POST",
  "/api/v1/provider_connections/[id]/verify": "OPTIONS, POST",
  "/api/v1/routing_rules": "GET, HEAD, OPTIONS, POST",
  "/api/v1/routing_rules/[id]": "GET, HEAD, OPTIONS, PATCH, DELETE",
  "/api/v1/suppressions": "GET, HEAD, OPTIONS, POST",
  "/api/v1/suppressions/[id]": "OPTIONS, DELETE",
  "/api/v1/webhook_endpoints": "GET, HEAD, OPTIONS, POST",
  "/api/v1/webhook_endpoints/[id]": "GET, HEAD, OPTIONS, PATCH, DELETE",
  "/api/v1/webhook_endpoints/[id]/deliveries": "GET, HEAD, OPTIONS",
  "/api/v1/webhook_endpoints/[id]/deliveries/[deliveryId]/replay": "OPTIONS, POST",
  "/api/v1/webhook_endpoints/[id]/rotate_secret": "OPTIONS, POST",
  "/api/v1/webhook_endpoints/[id]/test": "OPTIONS, POST",
};

describe("methods on /api/v1", () => {
  it("exports every method Next.js routes from every route file", async () => {
    expect(v1Routes.length).toBeGreaterThanOrEqual(15);
    for (const template of routePaths().filter((p) => p.startsWith("/api/v1/"))) {
      const file = path.resolve(import.meta.dirname, `../../../app${template}/route.ts`);
      const mod = (await import(/* @vite-ignore */ file)) as Record<string, unknown>;
      for (const method of ALL) expect(typeof mod[method], `${template} ${method}`).toBe("function");
    }
  });

  it("answers OPTIONS with 204 and the Allow header of each route", async () => {
    const allows: Record<string, string> = {};
    for (const template of v1Routes) {
      const res = await call("OPTIONS", concrete(template));
      expect(res.status, template).toBe(204);
      expect(res.text, template).toBe("");
      allows[template] = res.headers.get("allow")!;
    }
    expect(allows).toEqual(EXPECTED_ALLOW);
  });

  it("answers an unsupported method with 405 JSON and Allow, with or without credentials", async () => {
    const { apiKey } = await signUp();
    let checked = 0;
    for (const template of v1Routes) {
      const allow = EXPECTED_ALLOW[template]!.split(", ");
      for (const method of ALL.filter((m) => !allow.includes(m))) {
        for (const token of [undefined, apiKey, "garbage"]) {
          const res = await call(method, concrete(template), { token, body: method === "HEAD" || method === "GET" ? undefined : { any: "thing" } });
          expect(res.status, `${method} ${template}`).toBe(405);
          expect(res.headers.get("allow"), `${method} ${template}`).toBe(EXPECTED_ALLOW[template]);
          expect(res.headers.get("content-type")).toMatch(/^application\/json/);
          if (method !== "HEAD") expect(res.body, `${method} ${template}`).toEqual({ error: "Method not allowed" });
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(50);
  });

  it("answers supported methods through the wrapper (JSON, never 405), and HEAD like GET without a body", async () => {
    const { apiKey } = await signUp();
    for (const template of v1Routes) {
      const allow = EXPECTED_ALLOW[template]!.split(", ");
      for (const method of allow.filter((m) => m !== "OPTIONS" && m !== "HEAD")) {
        const res = await call(method, concrete(template), { token: apiKey, body: method === "GET" || method === "DELETE" ? undefined : {} });
        expect(res.status, `${method} ${template}`).not.toBe(405);
        expect(res.status, `${method} ${template}`).toBeLessThan(500);
        if (res.status !== 204) expect(res.headers.get("content-type"), `${method} ${template}`).toMatch(/^application\/json/);
      }
      if (allow.includes("HEAD")) {
        const get = await call("GET", concrete(template), { token: apiKey });
        const head = await call("HEAD", concrete(template), { token: apiKey });
        expect(head.status, template).toBe(get.status);
        expect(head.text, template).toBe("");
        expect(head.headers.get("x-total-count"), template).toBe(get.headers.get("x-total-count"));
        expect(head.headers.get("x-ratelimit-limit"), template).toBeTruthy();
      }
    }
  });

  it("answers methods Next.js does not route (TRACE, PROPFIND, …) with the same 405 JSON and Allow", async () => {
    for (const template of v1Routes) {
      for (const method of ["TRACE", "PROPFIND", "PURGE", "LOCK"]) {
        const res = await call(method, concrete(template));
        expect(res.status, `${method} ${template}`).toBe(405);
        expect(res.headers.get("allow"), `${method} ${template}`).toBe(EXPECTED_ALLOW[template]);
        expect(res.body, `${method} ${template}`).toEqual({ error: "Method not allowed" });
      }
    }
    const unknown = await call("TRACE", "/api/v1/nope");
    expect([unknown.status, unknown.body]).toEqual([404, { error: "Not found" }]);
  });

  it("answers unknown paths with the seed's 404 for every method", async () => {
    const { apiKey } = await signUp();
    for (const path of ["/api/v1/nope", "/api/v1/emails/bulk/extra", "/api/v1/domains/x/verify/again", "/api/v1/webhook_endpoints/x/y/z/w", "/api/v1/analytics", `/api/v1/api_keys/${SOME_ID}/unrevoke`]) {
      for (const method of ALL) {
        const res = await call(method, path, { token: apiKey });
        expect(res.status, `${method} ${path}`).toBe(404);
        expect(res.headers.get("content-type"), `${method} ${path}`).toMatch(/^application\/json/);
        if (method !== "HEAD") expect(res.body, `${method} ${path}`).toEqual({ error: "Not found" });
      }
    }
  });
});
