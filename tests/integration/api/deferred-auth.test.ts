/**
 * The send API's one round trip (server/services/auth/deferred-auth.ts): a key this process has admitted is
 * authenticated, touched and counted inside the email's insert. Attacked here the way a caller would: a key
 * revoked since it was seen, a key over its limit, a bad body from a dead key, routing references read before
 * the key is confirmed. Each must answer exactly what authenticating first answers, and store nothing.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { getDb } from "@/server/db";
import { env } from "@/server/env";
import { setLocalEngine } from "@/server/jobs/engine";
import { currentWindow } from "@/server/services/auth/authenticate-request";
import { api, signUp } from "../../helpers/api";
import { emailBody } from "../../helpers/sending";
import { statementsOf } from "../../helpers/statements";

const defaultLimit = env.RATE_LIMIT_PER_MINUTE;

beforeEach(async () => {
  // Counting tests must not straddle a window: start them in a fresh minute when this one is nearly over.
  const left = currentWindow().resetAt * 1000 - Date.now();
  if (left < 5_000) await new Promise((r) => setTimeout(r, left + 50));
});

afterEach(() => {
  env.RATE_LIMIT_PER_MINUTE = defaultLimit;
  setLocalEngine(undefined);
});

/** A tenant whose key has authenticated once in this process (so the next send may defer). */
async function seenKey(mode: "live" | "test" = "live") {
  const account = await signUp();
  let apiKey = account.apiKey;
  if (mode === "test") {
    const created = await api.post("/api/v1/api_keys", { name: "sandbox", mode: "test" }, { token: account.token });
    apiKey = created.body.raw_key;
  }
  const first = await api.get("/api/v1/emails", { token: apiKey });
  expect(first.status).toBe(200);
  return { ...account, apiKey };
}

async function stored(tenantId: string) {
  const db = await getDb();
  const [emails, events, runs] = await Promise.all([
    db.email.count({ where: { tenantId } }),
    db.emailEvent.count({ where: { tenantId } }),
    db.$queryRaw<{ n: bigint }[]>`SELECT count(*) AS n FROM "JobRun" WHERE "event"->'data'->>'tenant_id' = ${tenantId}`,
  ]);
  return { emails, events, runs: Number(runs[0]!.n) };
}

async function revoke(token: string) {
  const keys = await api.get("/api/v1/api_keys", { token });
  for (const key of keys.body) if (!key.revoked_at) expect((await api.post(`/api/v1/api_keys/${key.id}/revoke`, {}, { token })).status).toBe(200);
}

async function windowCount(tenantId: string): Promise<number> {
  const db = await getDb();
  const rows = await db.$queryRaw<{ n: number }[]>`
    SELECT coalesce(sum(w."count"), 0)::int AS n FROM "RateLimitWindow" w JOIN "ApiKey" k ON w."key" LIKE 'key:' || k."id" || ':%' WHERE k."tenantId" = ${tenantId}::uuid`;
  return rows[0]!.n;
}

describe("a send from a key this process has seen", () => {
  it("is one statement: authentication, rate-limit count, email, queued event and job run", async () => {
    const cold = await signUp();
    // A key never seen here authenticates first (its own statement), then inserts.
    expect(await statementsOf(() => api.post("/api/v1/emails", emailBody(), { token: cold.apiKey }))).toHaveLength(2);
    let res: Awaited<ReturnType<typeof api.post>> | undefined;
    const sql = await statementsOf(async () => {
      res = await api.post("/api/v1/emails", emailBody(), { token: cold.apiKey });
    });
    expect(res!.status).toBe(202);
    expect(sql).toHaveLength(1);
    expect(sql[0]).toMatch(/"ApiKey"[\s\S]*"RateLimitWindow"[\s\S]*INSERT INTO "Email"[\s\S]*"EmailEvent"[\s\S]*"JobRun"/);
    expect(res!.headers.get("x-ratelimit-remaining")).toBe(String(defaultLimit - 2));
    expect(await stored(cold.tenantId)).toEqual({ emails: 2, events: 2, runs: 2 });
  });

  it("revoked since: 401, nothing stored or counted, and the key is forgotten", async () => {
    const { apiKey, token, tenantId } = await seenKey();
    const before = await windowCount(tenantId);
    await revoke(token);
    const res = await api.post("/api/v1/emails", emailBody(), { token: apiKey });
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ error: "Unauthorized" });
    expect(res.headers.get("x-ratelimit-limit")).toBeNull();
    expect(await stored(tenantId)).toEqual({ emails: 0, events: 0, runs: 0 });
    expect(await windowCount(tenantId)).toBe(before);
    // Forgotten: the next attempt authenticates first again (its own statement), and is refused there.
    const sql = await statementsOf(async () => expect((await api.post("/api/v1/emails", emailBody(), { token: apiKey })).status).toBe(401));
    expect(sql).toHaveLength(1);
    expect(sql[0]).not.toMatch(/INSERT INTO "Email"/);
  });

  it("revoked since, with a bad body or bad routing: still 401, never the 422 a live key would get", async () => {
    const { apiKey, token, tenantId } = await seenKey();
    await revoke(token);
    const invalid = await api.post("/api/v1/emails", { ...emailBody(), to_email: "not an address" }, { token: apiKey });
    expect(invalid.status).toBe(401);
    const routing = await api.post("/api/v1/emails", emailBody({ routing: { connections: ["no-such-connection"] } }), { token: apiKey });
    expect(routing.status).toBe(401);
    const oversized = await api.post("/api/v1/emails", emailBody({ html_body: "x".repeat(12 * 1024 * 1024) }), { token: apiKey });
    expect(oversized.status).toBe(401);
    expect(await stored(tenantId)).toEqual({ emails: 0, events: 0, runs: 0 });
  });

  it("with a bad body from a live key: 422, counted against the limit like any request", async () => {
    const { apiKey, tenantId } = await seenKey();
    const before = await windowCount(tenantId);
    const res = await api.post("/api/v1/emails", { ...emailBody(), to_email: "not an address" }, { token: apiKey });
    expect(res.status).toBe(422);
    expect(res.body.errors.join(" ")).toMatch(/to_email/);
    expect(res.headers.get("x-ratelimit-remaining")).toBe(String(defaultLimit - before - 1));
    expect(await windowCount(tenantId)).toBe(before + 1);
  });

  it("over the limit: exactly the limit is accepted across concurrent sends, the rest 429 with Retry-After, bad bodies included", async () => {
    const { apiKey, tenantId } = await seenKey();
    env.RATE_LIMIT_PER_MINUTE = 6;
    // One request (the GET) is already counted in this window: five sends fit.
    const results = await Promise.all(Array.from({ length: 12 }, () => api.post("/api/v1/emails", emailBody(), { token: apiKey })));
    const statuses = results.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 202)).toHaveLength(5);
    expect(statuses.filter((s) => s === 429)).toHaveLength(7);
    for (const r of results.filter((x) => x.status === 429)) {
      expect(r.body).toEqual({ error: "Rate limit exceeded" });
      expect(Number(r.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
      expect(r.headers.get("x-ratelimit-remaining")).toBe("0");
    }
    expect(await stored(tenantId)).toEqual({ emails: 5, events: 5, runs: 5 });
    // Over the limit, a bad body is a 429 too: the limit is told before the body's problems.
    expect((await api.post("/api/v1/emails", { ...emailBody(), to_email: "nope" }, { token: apiKey })).status).toBe(429);
  });

  it("over its limit, a key authenticates first until the window ends: a 429 never reads into an insert", async () => {
    const { apiKey, tenantId } = await seenKey();
    env.RATE_LIMIT_PER_MINUTE = 2;
    expect((await api.post("/api/v1/emails", emailBody(), { token: apiKey })).status).toBe(202);
    expect((await api.post("/api/v1/emails", emailBody(), { token: apiKey })).status).toBe(429);
    let throttled: Awaited<ReturnType<typeof api.post>> | undefined;
    const sql = await statementsOf(async () => {
      throttled = await api.post("/api/v1/emails", emailBody({ html_body: "<p>x</p>".repeat(20_000) }), { token: apiKey });
    });
    expect(throttled!.status).toBe(429);
    expect(sql).toHaveLength(1);
    expect(sql[0]).not.toMatch(/INSERT INTO "Email"/);
    expect(await stored(tenantId)).toMatchObject({ emails: 1 });
  });

  it("with a large or undeclared body, authenticates first (and still accepts it)", async () => {
    const { apiKey } = await seenKey();
    const large = emailBody({ html_body: `<p>${"y".repeat(300 * 1024)}</p>` });
    let res: Awaited<ReturnType<typeof api.post>> | undefined;
    const sql = await statementsOf(async () => {
      res = await api.post("/api/v1/emails", large, { token: apiKey });
    });
    expect(res!.status).toBe(202);
    expect(sql).toHaveLength(2);
    expect(sql[0]).not.toMatch(/INSERT INTO "Email"/);
  });

  it("replays an idempotency key as the original, and a test key's send stays a test send", async () => {
    const live = await seenKey();
    const first = await api.post("/api/v1/emails", emailBody(), { token: live.apiKey, headers: { "Idempotency-Key": "deferred-1" } });
    const again = await api.post("/api/v1/emails", emailBody(), { token: live.apiKey, headers: { "Idempotency-Key": "deferred-1" } });
    expect([first.status, again.status]).toEqual([202, 202]);
    expect(again.body.id).toBe(first.body.id);
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect(await stored(live.tenantId)).toMatchObject({ emails: 1, runs: 1 });

    const sandbox = await seenKey("test");
    const sent = await api.post("/api/v1/emails", emailBody(), { token: sandbox.apiKey });
    expect(sent.status).toBe(202);
    expect(sent.body.test).toBe(true);
    // The same idempotency key in test mode is its own email.
    const testReplayKey = await api.post("/api/v1/emails", emailBody(), { token: sandbox.apiKey, headers: { "Idempotency-Key": "deferred-1" } });
    expect(testReplayKey.body.id).not.toBe(first.body.id);
  });
});
