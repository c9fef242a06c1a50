import { afterEach, describe, expect, it } from "vitest";
import { env } from "@/server/env";
import { api, call, signUp } from "../../helpers/api";

const defaultLimit = env.RATE_LIMIT_PER_MINUTE;
afterEach(() => {
  env.RATE_LIMIT_PER_MINUTE = defaultLimit;
});

/** Rate-limit windows are fixed minutes: start well inside one, so a count cannot reset halfway. */
async function awayFromWindowEdge(): Promise<void> {
  const intoMinute = Date.now() % 60_000;
  if (intoMinute > 55_000) await new Promise((r) => setTimeout(r, 60_500 - intoMinute));
}

describe("REST conventions", () => {
  it("puts rate-limit headers and a request id on every authenticated response, errors included", async () => {
    const { apiKey } = await signUp();
    await awayFromWindowEdge();
    const ok = await api.get("/api/v1/auth/me", { token: apiKey });
    expect(ok.headers.get("x-ratelimit-limit")).toBe(String(defaultLimit));
    expect(Number(ok.headers.get("x-ratelimit-remaining"))).toBe(defaultLimit - 1);
    const reset = Number(ok.headers.get("x-ratelimit-reset"));
    expect(reset).toBeGreaterThan(Date.now() / 1000);
    expect(reset).toBeLessThanOrEqual(Date.now() / 1000 + 60);
    expect(ok.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
    const invalid = await api.post("/api/v1/api_keys", { name: "" }, { token: apiKey });
    expect(invalid.status).toBe(422);
    expect(Number(invalid.headers.get("x-ratelimit-remaining"))).toBe(defaultLimit - 2);
    const echoed = await api.get("/api/v1/auth/me", { token: apiKey, headers: { "x-request-id": "req-abc.123" } });
    expect(echoed.headers.get("x-request-id")).toBe("req-abc.123");
  });

  it("is never cached, and lets only larger answers be compressed (no-transform on small ones)", async () => {
    const { apiKey } = await signUp();
    const small = await api.get("/api/v1/auth/me", { token: apiKey });
    expect(small.text.length).toBeLessThan(4096);
    expect(small.headers.get("cache-control")).toBe("no-store, no-transform");
    for (let i = 0; i < 12; i++) expect((await api.post("/api/v1/emails", { from_email: "a@yourapp.com", to_email: `r${i}@example.com`, subject: "s", html_body: "<p>".padEnd(400, "x") }, { token: apiKey })).status).toBe(202);
    const list = await api.get("/api/v1/emails?per_page=12", { token: apiKey });
    expect(list.text.length).toBeGreaterThanOrEqual(4096);
    expect(list.headers.get("cache-control")).toBe("no-store");
  });

  it("answers 429 with Retry-After once a key exceeds its limit, per key", async () => {
    env.RATE_LIMIT_PER_MINUTE = 5;
    const { apiKey, token } = await signUp();
    await awayFromWindowEdge();
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) statuses.push((await api.get("/api/v1/auth/me", { token: apiKey })).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429, 429]);
    const limited = await api.get("/api/v1/auth/me", { token: apiKey });
    expect(limited.body).toEqual({ error: "Rate limit exceeded" });
    expect(limited.headers.get("x-ratelimit-remaining")).toBe("0");
    const retryAfter = Number(limited.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    // The limit is per key: the same tenant's session is counted separately.
    expect((await api.get("/api/v1/auth/me", { token })).status).toBe(200);
  });

  it("turns malformed JSON, a wrong content type and an empty body into 422", async () => {
    const { apiKey } = await signUp();
    const malformed = await call("POST", "/api/v1/api_keys", { token: apiKey, rawBody: '{"name": ', headers: { "content-type": "application/json" } });
    expect(malformed.status).toBe(422);
    expect(malformed.body.errors[0]).toMatch(/^Malformed JSON/);
    const wrongType = await call("POST", "/api/v1/api_keys", { token: apiKey, rawBody: "name=x", headers: { "content-type": "application/x-www-form-urlencoded" } });
    expect(wrongType.status).toBe(422);
    expect(wrongType.body).toEqual({ errors: ["Content-Type must be application/json"] });
    const empty = await call("POST", "/api/v1/api_keys", { token: apiKey, rawBody: "", headers: { "content-type": "application/json" } });
    expect(empty.body).toEqual({ errors: ["Request body must be a JSON object"] });
    const array = await api.post("/api/v1/api_keys", [1, 2], { token: apiKey });
    expect(array.status).toBe(422);
  });

  it("refuses bodies over the size limit with 413 before parsing", async () => {
    const { apiKey } = await signUp();
    const res = await api.post("/api/v1/api_keys", { name: "x".repeat(300 * 1024) }, { token: apiKey });
    expect(res.status).toBe(413);
    expect(res.body.error).toMatch(/exceeds/);
  });

  it("answers 404 in the seed's shape for unknown paths and malformed ids", async () => {
    const { apiKey } = await signUp();
    for (const [method, path] of [
      ["GET", "/api/v1/nope"],
      ["GET", "/api/v1"],
      ["GET", "/api/v1/"],
      ["POST", "/api/v1/emails/bulk/extra"],
      ["DELETE", "/api/v1/api_keys/not-a-uuid"],
      ["POST", "/api/v1/api_keys/123/revoke"],
    ] as const) {
      const res = await call(method, path, { token: apiKey });
      expect(res.status, path).toBe(404);
      expect(res.body).toEqual({ error: "Not found" });
    }
  });

  it("refuses text PostgreSQL cannot store (NUL, unpaired surrogates) and out-of-range dates with a 422, anywhere in a request", async () => {
    const { apiKey } = await signUp();
    for (const [method, path, body] of [
      ["POST", "/api/v1/api_keys", { name: "a\u0000b" }],
      ["POST", "/api/v1/suppressions", { email: "a@example.com", note: "x\u0000" }],
      ["POST", "/api/v1/emails", { from_email: "a@example.com", to_email: "b@example.com", subject: "s", text_body: "t", metadata: { k: "\udfff" } }],
      ["POST", "/api/v1/emails", { from_email: "a@example.com", to_email: "b@example.com", subject: "s", text_body: "t", metadata: { "\u0000": "v" } }],
      ["GET", "/api/v1/emails?recipient=%00", undefined],
      ["GET", "/api/v1/suppressions?email=%00", undefined],
      ["GET", "/api/v1/emails?to=0000-01-01", undefined],
      ["GET", "/api/v1/emails?from=0000-01-01T00:00:00.030Z", undefined],
    ] as const) {
      const res = await call(method, path, { token: apiKey, ...(body ? { body } : {}) });
      expect(res.status, `${method} ${path} ${res.text}`).toBe(422);
      expect(res.body.errors).toEqual([expect.any(String)]);
    }
    // Nesting far past any body of ours is refused as such, not a stack overflow.
    const deep = `${"[".repeat(100_000)}${"]".repeat(100_000)}`;
    const nested = await call("POST", "/api/v1/auth/login", { rawBody: `{"email":"a@example.com","password":"x","n":${deep}}`, headers: { "content-type": "application/json" } });
    expect(nested.status).toBe(422);
    expect(nested.body.errors).toEqual(["Request is nested more than 32 levels deep"]);
    // A paired surrogate (an emoji) is ordinary text.
    expect((await call("POST", "/api/v1/api_keys", { token: apiKey, body: { name: "key 🔑" } })).status).toBe(201);
  });

  it("paginates lists with X-Total-Count, X-Page and X-Per-Page", async () => {
    const { token } = await signUp();
    for (let i = 0; i < 6; i++) await api.post("/api/v1/api_keys", { name: `key ${i}` }, { token });
    // signUp created one key already: 7 in all.
    const page2 = await api.get("/api/v1/api_keys?page=2&per_page=3", { token });
    expect(page2.status).toBe(200);
    expect(page2.body).toHaveLength(3);
    expect(page2.headers.get("x-total-count")).toBe("7");
    expect(page2.headers.get("x-page")).toBe("2");
    expect(page2.headers.get("x-per-page")).toBe("3");
    const page3 = await api.get("/api/v1/api_keys?page=3&per_page=3", { token });
    expect(page3.body).toHaveLength(1);
    const names = [...(await api.get("/api/v1/api_keys?per_page=100", { token })).body.map((k: any) => k.name)];
    expect(names).toHaveLength(7);
    const tooMany = await api.get("/api/v1/api_keys?per_page=500", { token });
    expect(tooMany.status).toBe(422);
    expect(tooMany.body).toEqual({ errors: ["per_page must be at most 100"] });
    expect((await api.get("/api/v1/api_keys?page=0", { token })).body).toEqual({ errors: ["page must be at least 1"] });
  });
});

describe("GET /api/health", () => {
  it("reports the database, the mode and the version without auth", async () => {
    const res = await api.get("/api/health");
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: "ok", database: "ok", mode: expect.stringMatching(/^(embedded|postgres)$/), version: expect.any(String) });
  });
});
