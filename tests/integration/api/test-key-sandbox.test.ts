/**
 * Test keys are a sandbox: they send (to the sandbox), read test emails and read configuration, and every
 * other method on every endpoint — found by walking the route files, so a new endpoint is covered the day
 * it lands — answers 403 before its body is read, and changes nothing. Live emails do not exist for them.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/server/db";
import { api, call, routePaths, signUp } from "../../helpers/api";

interface Tenant {
  token: string;
  liveKey: string;
  testKey: string;
  tenantId: string;
}

async function tenantWithTestKey(): Promise<Tenant> {
  const { token, apiKey, tenantId } = await signUp("Sandbox Inc");
  const test = await api.post("/api/v1/api_keys", { name: "test key", mode: "test" }, { token });
  expect(test.status).toBe(201);
  expect(test.body.raw_key).toMatch(/^cxk_test_/);
  return { token, liveKey: apiKey, testKey: test.body.raw_key, tenantId };
}

function emailBody(overrides: Record<string, unknown> = {}) {
  return { from_email: "hello@yourapp.com", to_email: "user@example.com", subject: "Hi", text_body: "Hello", ...overrides };
}

/** Every tenant-owned row, as stored (last_used_at aside: reading with a key may touch it). */
async function snapshot(tenantId: string): Promise<string> {
  const db = await getDb();
  const byId = { orderBy: { id: "asc" as const } };
  return JSON.stringify({
    tenant: await db.tenant.findUnique({ where: { id: tenantId } }),
    users: await db.user.findMany({ where: { tenantId }, ...byId }),
    apiKeys: await db.apiKey.findMany({ where: { tenantId }, omit: { lastUsedAt: true }, ...byId }),
    connections: await db.providerConnection.findMany({ where: { tenantId }, ...byId }),
    rules: await db.routingRule.findMany({ where: { tenantId }, ...byId }),
    targets: await db.routingRuleTarget.findMany({ where: { tenantId }, orderBy: [{ ruleId: "asc" }, { position: "asc" }] }),
    suppressions: await db.suppression.findMany({ where: { tenantId }, ...byId }),
    emails: await db.email.findMany({ where: { tenantId }, ...byId }),
    events: await db.emailEvent.findMany({ where: { tenantId }, ...byId }),
  });
}

describe("a test key changes no configuration", () => {
  let t: Tenant;
  const ids: Record<string, string> = {};
  beforeAll(async () => {
    t = await tenantWithTestKey();
    const extraKey = await api.post("/api/v1/api_keys", { name: "another key" }, { token: t.token });
    ids.api_keys = extraKey.body.id;
    const conn = await api.post("/api/v1/provider_connections", { provider: "sendgrid", api_key: "SG.test-key-123456789", endpoint: "http://127.0.0.1:9/" }, { token: t.liveKey });
    expect(conn.status).toBe(201);
    ids.provider_connections = conn.body.id;
    const rule = await api.post("/api/v1/routing_rules", { name: "All", strategy: "priority", providers: [{ connection_id: conn.body.id }] }, { token: t.liveKey });
    expect(rule.status).toBe(201);
    ids.routing_rules = rule.body.id;
    const sup = await api.post("/api/v1/suppressions", { email: "blocked@example.com", reason: "manual" }, { token: t.liveKey });
    expect(sup.status).toBe(201);
    ids.suppressions = sup.body.id;
    const email = await api.post("/api/v1/emails", emailBody(), { token: t.liveKey });
    expect(email.status).toBe(202);
    ids.emails = email.body.id;
  });

  /** Valid bodies, so that only the guard stands between the request and a change. */
  const validBodies: Record<string, () => unknown> = {
    "POST /api/v1/api_keys": () => ({ name: "sneaky live key", mode: "live" }),
    "POST /api/v1/provider_connections": () => ({ provider: "postmark", api_key: "pm-token-123456789", endpoint: "http://127.0.0.1:9/" }),
    "PATCH /api/v1/provider_connections/[id]": () => ({ priority: 9, enabled: false }),
    "POST /api/v1/routing_rules": () => ({ name: "Second", strategy: "priority", providers: [{ connection_id: ids.provider_connections }] }),
    "PATCH /api/v1/routing_rules/[id]": () => ({ name: "Renamed", enabled: false }),
    "POST /api/v1/suppressions": () => ({ email: "new@example.com", reason: "manual" }),
  };
  const PUBLIC = new Set(["/api/v1/auth/login", "/api/v1/auth/register"]);
  const SANDBOX_ALLOWED = new Set(["POST /api/v1/emails", "POST /api/v1/emails/batch", "POST /api/v1/emails/[id]/cancel"]);

  function concrete(template: string): string {
    return template.replace(/\/([a-z_]+)\/\[id\]/g, (_, resource: string) => `/${resource}/${ids[resource] ?? "00000000-0000-4000-8000-000000000000"}`);
  }

  it("answers 403 to every non-read method of every endpoint, before validation, with rate headers, and changes nothing", async () => {
    const before = await snapshot(t.tenantId);
    const checked: string[] = [];
    let lastRemaining = Infinity;
    let lastReset: string | null = null;
    for (const template of routePaths().filter((p) => p.startsWith("/api/v1/") && !p.includes("[...") && !PUBLIC.has(p))) {
      const url = concrete(template);
      const options = await call("OPTIONS", url);
      expect(options.status, template).toBe(204);
      const allowed = options.headers.get("allow")!.split(", ");
      for (const method of allowed.filter((m) => !["GET", "HEAD", "OPTIONS"].includes(m))) {
        const name = `${method} ${template}`;
        if (SANDBOX_ALLOWED.has(name)) continue;
        checked.push(name);
        const valid = await call(method, url, { token: t.testKey, body: validBodies[name]?.() ?? {} });
        expect(valid.status, name).toBe(403);
        expect(valid.body, name).toEqual({ error: "Test keys cannot change configuration" });
        // Counted: fewer remaining than before in the same window (the walk is long enough to cross a minute,
        // and a new window starts from the limit, one request counted).
        const remaining = Number(valid.headers.get("x-ratelimit-remaining"));
        const reset = valid.headers.get("x-ratelimit-reset");
        if (reset === lastReset) expect(remaining, name).toBeLessThan(lastRemaining);
        else expect(remaining, name).toBeLessThan(Number(valid.headers.get("x-ratelimit-limit")));
        lastRemaining = remaining;
        lastReset = reset;
        // Refused before the body is read: a test key cannot even learn what validation would say.
        const malformed = await call(method, url, { token: t.testKey, rawBody: '{"name": ', headers: { "content-type": "application/json" } });
        expect(malformed.status, name).toBe(403);
        const tooBig = await call(method, url, { token: t.testKey, body: { name: "x".repeat(300 * 1024) } });
        expect(tooBig.status, name).toBe(403);
      }
    }
    expect(checked).toEqual(
      expect.arrayContaining([
        "POST /api/v1/api_keys",
        "POST /api/v1/api_keys/[id]/revoke",
        "DELETE /api/v1/api_keys/[id]",
        "POST /api/v1/provider_connections",
        "PATCH /api/v1/provider_connections/[id]",
        "DELETE /api/v1/provider_connections/[id]",
        "POST /api/v1/provider_connections/[id]/verify",
        "POST /api/v1/routing_rules",
        "PATCH /api/v1/routing_rules/[id]",
        "DELETE /api/v1/routing_rules/[id]",
        "POST /api/v1/suppressions",
        "DELETE /api/v1/suppressions/[id]",
      ]),
    );
    expect(await snapshot(t.tenantId)).toBe(before);
    // The key cannot revoke or delete itself either, and it still works afterwards.
    const self = (await api.get("/api/v1/auth/me", { token: t.testKey })).body.authenticated_with;
    expect(self).toMatchObject({ type: "api_key", mode: "test" });

    // A live key and a signed-in user keep full access to the same endpoints.
    for (const token of [t.liveKey, t.token]) {
      const key = await api.post("/api/v1/api_keys", { name: "made by a live credential", mode: "test" }, { token });
      expect(key.status).toBe(201);
      expect((await api.post(`/api/v1/api_keys/${key.body.id}/revoke`, undefined, { token })).status).toBe(200);
      expect((await api.delete(`/api/v1/api_keys/${key.body.id}`, { token })).status).toBe(204);
      const sup = await api.post("/api/v1/suppressions", { email: "temp@example.com", reason: "manual" }, { token });
      expect(sup.status).toBe(201);
      expect((await api.delete(`/api/v1/suppressions/${sup.body.id}`, { token })).status).toBe(204);
      expect((await api.patch(`/api/v1/routing_rules/${ids.routing_rules}`, { name: "Renamed live" }, { token })).status).toBe(200);
      expect((await api.patch(`/api/v1/provider_connections/${ids.provider_connections}`, { priority: 3 }, { token })).status).toBe(200);
    }
  });

  it("reads configuration with a test key, masked as for a live key", async () => {
    for (const path of ["/api/v1/auth/me", "/api/v1/api_keys", "/api/v1/provider_connections", `/api/v1/provider_connections/${ids.provider_connections}`, "/api/v1/routing_rules", `/api/v1/routing_rules/${ids.routing_rules}`, "/api/v1/suppressions"]) {
      const asTest = await api.get(path, { token: t.testKey });
      expect(asTest.status, path).toBe(200);
      const asLive = await api.get(path, { token: t.liveKey });
      if (path !== "/api/v1/auth/me") expect(asTest.body, path).toEqual(asLive.body);
      expect((await call("HEAD", path, { token: t.testKey })).status, path).toBe(200);
    }
    expect(JSON.stringify((await api.get("/api/v1/provider_connections", { token: t.testKey })).body)).not.toContain("SG.test-key-123456789");
  });


});

describe("test keys and emails", () => {
  it("shows a test key its test emails only; live keys and users see both modes and filter by test", async () => {
    const t = await tenantWithTestKey();
    const live = await api.post("/api/v1/emails", emailBody({ subject: "live one" }), { token: t.liveKey });
    const test = await api.post("/api/v1/emails", emailBody({ subject: "test one" }), { token: t.testKey });
    expect(live.status).toBe(202);
    expect(test.status).toBe(202);
    const liveId = live.body.id as string;
    const testId = test.body.id as string;

    const ids = async (query: string, token: string) => {
      const res = await api.get(`/api/v1/emails${query}`, { token });
      expect(res.status).toBe(200);
      return { ids: res.body.map((e: any) => e.id).sort(), total: res.headers.get("x-total-count") };
    };
    expect(await ids("", t.testKey)).toEqual({ ids: [testId], total: "1" });
    expect(await ids("?test=true", t.testKey)).toEqual({ ids: [testId], total: "1" });
    expect(await ids("?test=false", t.testKey)).toEqual({ ids: [], total: "0" });
    expect(await ids("?recipient=user", t.testKey)).toEqual({ ids: [testId], total: "1" });
    expect((await api.get(`/api/v1/emails/${liveId}`, { token: t.testKey })).status).toBe(404);
    expect((await api.get(`/api/v1/emails/${liveId}`, { token: t.testKey })).body).toEqual({ error: "Not found" });
    expect((await call("HEAD", `/api/v1/emails/${liveId}`, { token: t.testKey })).status).toBe(404);
    expect((await api.get(`/api/v1/emails/${testId}`, { token: t.testKey })).status).toBe(200);

    for (const token of [t.liveKey, t.token]) {
      expect(await ids("", token)).toEqual({ ids: [liveId, testId].sort(), total: "2" });
      expect(await ids("?test=true", token)).toEqual({ ids: [testId], total: "1" });
      expect(await ids("?test=false", token)).toEqual({ ids: [liveId], total: "1" });
      expect((await api.get(`/api/v1/emails/${liveId}`, { token })).status).toBe(200);
      expect((await api.get(`/api/v1/emails/${testId}`, { token })).status).toBe(200);
    }
  });

  it("scopes idempotency keys per mode, both ways: a test send never answers a live one", async () => {
    const t = await tenantWithTestKey();
    // Test first, then live, then each replays its own.
    const test1 = await api.post("/api/v1/emails", emailBody({ metadata: { idempotency_key: "order-1" } }), { token: t.testKey });
    const live1 = await api.post("/api/v1/emails", emailBody({ metadata: { idempotency_key: "order-1" } }), { token: t.liveKey });
    expect(test1.status).toBe(202);
    expect(live1.status).toBe(202);
    expect(live1.headers.get("idempotent-replayed")).toBeNull();
    expect(live1.body.id).not.toBe(test1.body.id);
    const liveAgain = await api.post("/api/v1/emails", emailBody({ metadata: { idempotency_key: "order-1" } }), { token: t.liveKey });
    expect(liveAgain.headers.get("idempotent-replayed")).toBe("true");
    expect(liveAgain.body.id).toBe(live1.body.id);
    const testAgain = await api.post("/api/v1/emails", emailBody({ metadata: { idempotency_key: "order-1" } }), { token: t.testKey });
    expect(testAgain.headers.get("idempotent-replayed")).toBe("true");
    expect(testAgain.body.id).toBe(test1.body.id);

    // Live first, then test.
    const live2 = await api.post("/api/v1/emails", emailBody({ metadata: { idempotency_key: "order-2" } }), { token: t.liveKey });
    const test2 = await api.post("/api/v1/emails", emailBody({ metadata: { idempotency_key: "order-2" } }), { token: t.testKey });
    expect(test2.headers.get("idempotent-replayed")).toBeNull();
    expect(test2.body.id).not.toBe(live2.body.id);
    const test2Again = await api.post("/api/v1/emails", emailBody({ metadata: { idempotency_key: "order-2" } }), { token: t.testKey });
    expect(test2Again.body.id).toBe(test2.body.id);
    const live2Again = await api.post("/api/v1/emails", emailBody({ metadata: { idempotency_key: "order-2" } }), { token: t.liveKey });
    expect(live2Again.body.id).toBe(live2.body.id);
    // A test key's replay never reveals a live email.
    expect((await api.get(`/api/v1/emails/${testAgain.body.id}`, { token: t.testKey })).status).toBe(200);
    expect((await api.get(`/api/v1/emails/${test2Again.body.id}`, { token: t.testKey })).status).toBe(200);

    const db = await getDb();
    const rows = await db.email.findMany({ where: { tenantId: t.tenantId }, select: { test: true, idempotencyKey: true } });
    expect(rows.map((r) => `${r.test}:${r.idempotencyKey}`).sort()).toEqual(["false:order-1", "false:order-2", "true:order-1", "true:order-2"]);
  });

  it("replays concurrent sends with the same key within each mode", async () => {
    const t = await tenantWithTestKey();
    const sends = await Promise.all(
      Array.from({ length: 6 }, (_, i) => api.post("/api/v1/emails", emailBody({ metadata: { idempotency_key: "race" } }), { token: i % 2 ? t.testKey : t.liveKey })),
    );
    expect(sends.map((s) => s.status)).toEqual(Array(6).fill(202));
    const liveIds = new Set(sends.filter((_, i) => i % 2 === 0).map((s) => s.body.id));
    const testIds = new Set(sends.filter((_, i) => i % 2 === 1).map((s) => s.body.id));
    expect(liveIds.size).toBe(1);
    expect(testIds.size).toBe(1);
    expect([...liveIds][0]).not.toBe([...testIds][0]);
  });
});
