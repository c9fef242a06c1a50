/**
 * An attacker's probes of the dashboard's trust boundaries that the other files do not already make: a GET
 * (what a link, an <img> or a top-level navigation sends with the cookie) never runs a mutation, with or
 * without a method override; the REST session JWT and the dashboard cookie never stand in for each other.
 */
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { getDb } from "@/server/db";
import { call } from "../../helpers/api";
import { callerFor, signUpOwner, type Owner } from "../../helpers/trpc";
import { Browser, SESSION_COOKIE, setTestNextAuthSecret, signedIn } from "./browser";

let owner: Owner;
let browser: Browser;
let n = 0;

beforeAll(async () => {
  await getDb();
  setTestNextAuthSecret();
  owner = await signUpOwner("Probe");
  browser = await signedIn(owner.email);
});
beforeEach(() => setTestNextAuthSecret());

async function suppressed(): Promise<string[]> {
  return (await callerFor(owner.session).suppressions.list({ per_page: 100 })).items.map((s: { email: string }) => s.email);
}

describe("GET /api/trpc never runs a mutation", () => {
  it("refuses a mutation sent as a GET (plain, batched, or with a method override) and stores nothing", async () => {
    const email = `get${++n}@example.com`;
    const input = encodeURIComponent(JSON.stringify({ email }));
    const batched = encodeURIComponent(JSON.stringify({ 0: { email } }));
    const attempts = [
      `/api/trpc/suppressions.create?input=${input}`,
      `/api/trpc/suppressions.create?batch=1&input=${batched}`,
      `/api/trpc/account.me,suppressions.create?batch=1&input=${encodeURIComponent(JSON.stringify({ 1: { email } }))}`,
      `/api/trpc/suppressions.create?input=${input}&method=POST&_method=POST`,
    ];
    for (const url of attempts) {
      const res = await call("GET", url, { headers: { cookie: browser.cookieHeader(), "x-http-method-override": "POST", "sec-fetch-site": "cross-site" } });
      expect(res.status, `${url}: ${res.text}`).not.toBe(200);
    }
    expect(await suppressed()).not.toContain(email);
  });

  it("answers GET reads as JSON only (nothing a <script> tag could run), never cached", async () => {
    const res = await call("GET", "/api/trpc/account.me", { headers: { cookie: browser.cookieHeader() } });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^application\/json/);
    // A JSONP-style callback parameter changes nothing.
    const jsonp = await call("GET", "/api/trpc/account.me?callback=steal", { headers: { cookie: browser.cookieHeader() } });
    expect(jsonp.text.startsWith("steal")).toBe(false);
  });
});

describe("the REST session JWT and the dashboard cookie are different credentials", () => {
  it("a REST session JWT in the session cookie signs nobody in to /api/trpc", async () => {
    const res = await call("GET", "/api/trpc/account.me", { headers: { cookie: `${SESSION_COOKIE}=${owner.token}` } });
    expect(res.status).toBe(401);
    // Nor as a bearer token to the dashboard API (getToken's Authorization fallback is not used).
    const bearer = await call("GET", "/api/trpc/account.me", { headers: { authorization: `Bearer ${owner.token}` } });
    expect(bearer.status).toBe(401);
    const cookieAsBearer = await call("GET", "/api/trpc/account.me", { headers: { authorization: `Bearer ${browser.sessionToken}` } });
    expect(cookieAsBearer.status).toBe(401);
  });

  it("the dashboard cookie is no REST credential, as a bearer token or as a cookie", async () => {
    expect((await call("GET", "/api/v1/auth/me", { headers: { authorization: `Bearer ${browser.sessionToken}` } })).status).toBe(401);
    expect((await call("GET", "/api/v1/auth/me", { headers: { cookie: browser.cookieHeader() } })).status).toBe(401);
  });
});
