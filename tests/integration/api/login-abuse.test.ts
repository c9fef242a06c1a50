/**
 * Login and register abuse: the per-address limit counts the socket peer unless TRUST_PROXY says which
 * forwarded address to believe, and a per-account failed-login limit holds however many addresses an
 * attacker spreads the guesses over — for unknown emails just the same. Malformed headers are never a 5xx.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { env, type TrustProxy } from "@/server/env";
import { normalizeAddress } from "@/server/http/client-address";
import { FAILED_LOGIN_LIMIT, FAILED_LOGIN_WINDOW_MS } from "@/server/services/auth/login-throttle";
import { api, call, signUp, type ApiResponse } from "../../helpers/api";

const password = "correct horse battery";
const defaultTrust = env.TRUST_PROXY;

// A frozen clock in the middle of a 15-minute window (and of a minute): no window ends mid-test by chance.
let now = 0;
beforeEach(() => {
  now = Math.floor(Date.now() / FAILED_LOGIN_WINDOW_MS) * FAILED_LOGIN_WINDOW_MS + 7 * 60_000 + 30_000;
  vi.useFakeTimers({ toFake: ["Date"], now });
});
afterEach(() => {
  vi.useRealTimers();
  env.TRUST_PROXY = defaultTrust;
});

let n = 0;
async function account(): Promise<string> {
  const { email } = await signUp(`Victim ${++n}`);
  return email;
}

function login(email: string, pass: string, o: { peer?: string; headers?: Record<string, string> } = {}): Promise<ApiResponse> {
  return api.post("/api/v1/auth/login", { email, password: pass }, o);
}

/** Forty guesses, each from a different X-Forwarded-For (and, unless `peer` is given, a different socket peer). */
async function fortyGuesses(email: string, headersFor: (i: number) => Record<string, string>, peer?: string): Promise<number[]> {
  const statuses: number[] = [];
  for (let i = 0; i < 40; i++) statuses.push((await login(email, `wrong password ${i}`, { headers: headersFor(i), ...(peer ? { peer } : {}) })).status);
  return statuses;
}

function expectLockedOut(statuses: number[]): void {
  expect(statuses.slice(0, FAILED_LOGIN_LIMIT)).toEqual(Array(FAILED_LOGIN_LIMIT).fill(401));
  expect(statuses.slice(FAILED_LOGIN_LIMIT)).toEqual(Array(40 - FAILED_LOGIN_LIMIT).fill(429));
}

async function expectRightPasswordRefused(email: string): Promise<void> {
  const refused = await login(email, password);
  expect(refused.status).toBe(429);
  expect(refused.body).toEqual({ error: "Rate limit exceeded" });
  const retryAfter = Number(refused.headers.get("retry-after"));
  expect(retryAfter).toBeGreaterThan(0);
  expect(retryAfter).toBeLessThanOrEqual(FAILED_LOGIN_WINDOW_MS / 1000);
}

describe("per-account failed-login limit", () => {
  it("meets forty wrong passwords from forty X-Forwarded-For values with 429s (TRUST_PROXY unset), then refuses the right one until the window ends", async () => {
    const email = await account();
    expectLockedOut(await fortyGuesses(email, (i) => ({ "x-forwarded-for": `203.0.113.${i + 1}` })));
    await expectRightPasswordRefused(email);
    vi.setSystemTime(now + FAILED_LOGIN_WINDOW_MS);
    const after = await login(email, password);
    expect(after.status).toBe(200);
    expect(after.body.token).toBeTruthy();
  });

  it.each<[string, TrustProxy, (i: number) => Record<string, string>]>([
    ["one trusted proxy hop", { kind: "hops", hops: 1 }, (i) => ({ "x-forwarded-for": `198.51.100.${i + 1}` })],
    ["two trusted proxy hops", { kind: "hops", hops: 2 }, (i) => ({ "x-forwarded-for": `1.1.1.1, 198.51.100.${i + 1}, 10.0.0.2` })],
    ["Vercel", { kind: "vercel" }, (i) => ({ "x-real-ip": `198.51.100.${i + 1}`, "x-forwarded-for": `198.51.100.${i + 1}` })],
  ])("holds behind %s, where each guess has its own trusted client address", async (_name, trust, headersFor) => {
    env.TRUST_PROXY = trust;
    const email = await account();
    // Every request arrives from the same proxy: only the forwarded address tells clients apart.
    expectLockedOut(await fortyGuesses(email, headersFor, "10.0.0.1"));
    await expectRightPasswordRefused(email);
  });

  it("limits an unknown email exactly like a known one (no enumeration oracle)", async () => {
    const known = await account();
    const unknown = `nobody-${n}@example.com`;
    const knownStatuses = await fortyGuesses(known, (i) => ({ "x-forwarded-for": `192.0.2.${i}` }));
    const unknownStatuses = await fortyGuesses(unknown, (i) => ({ "x-forwarded-for": `192.0.2.${i}` }));
    expect(unknownStatuses).toEqual(knownStatuses);
    const a = await login(known, password);
    const b = await login(unknown, password);
    expect([a.status, a.body, a.headers.get("retry-after")]).toEqual([b.status, b.body, b.headers.get("retry-after")]);
  });

  it("counts the email case- and space-insensitively", async () => {
    const email = await account();
    const variants = [email, email.toUpperCase(), ` ${email} `];
    for (let i = 0; i < FAILED_LOGIN_LIMIT; i++) expect((await login(variants[i % 3]!, "wrong password!")).status).toBe(401);
    expect((await login(email.toUpperCase(), password)).status).toBe(429);
  });

  it("lets at most the limit of concurrent guesses through", async () => {
    const email = await account();
    const results = await Promise.all(Array.from({ length: 25 }, (_, i) => login(email, `guess ${i}`, { headers: { "x-forwarded-for": `203.0.113.${i}` } })));
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 401)).toHaveLength(FAILED_LOGIN_LIMIT);
    expect(statuses.filter((s) => s === 429)).toHaveLength(25 - FAILED_LOGIN_LIMIT);
  });

  it("does not count successful logins", async () => {
    const email = await account();
    for (let i = 0; i < FAILED_LOGIN_LIMIT + 5; i++) expect((await login(email, password)).status).toBe(200);
    for (let i = 0; i < FAILED_LOGIN_LIMIT - 1; i++) expect((await login(email, "wrong password!")).status).toBe(401);
    expect((await login(email, password)).status).toBe(200);
  });
});

describe("per-address limit of anonymous requests", () => {
  /**
   * Forty logins from one socket with the given headers. The address is counted before the body is
   * validated, so a blank password (a quick 422, no password hashing, no account counted) is enough.
   */
  async function fortyFromOneSocket(headersFor: (i: number) => Record<string, string>, peer: string): Promise<number[]> {
    const statuses: number[] = [];
    for (let i = 0; i < 40; i++) statuses.push((await login(`someone-${i}@example.com`, "", { headers: headersFor(i), peer })).status);
    return statuses;
  }

  it("ignores a client's X-Forwarded-For without TRUST_PROXY: forty values from one socket meet 429 after 30", async () => {
    const statuses = await fortyFromOneSocket((i) => ({ "x-forwarded-for": `203.0.113.${i}`, "x-real-ip": `203.0.113.${i}`, "x-vercel-forwarded-for": `203.0.113.${i}` }), "192.0.2.50");
    expect(statuses.slice(0, 30)).toEqual(Array(30).fill(422));
    expect(statuses.slice(30)).toEqual(Array(10).fill(429));
  });

  it("with one trusted hop, believes the proxy's entry, not what the client prepended", async () => {
    env.TRUST_PROXY = { kind: "hops", hops: 1 };
    // The client forges a new leftmost entry each time; the proxy appends the real client's address.
    const spoofed = await fortyFromOneSocket((i) => ({ "x-forwarded-for": `203.0.113.${i}, 198.51.100.9` }), "10.0.0.1");
    expect(spoofed.slice(30)).toEqual(Array(10).fill(429));
    // Different real clients behind the same proxy are counted apart.
    const distinct = await fortyFromOneSocket((i) => ({ "x-forwarded-for": `198.51.100.${100 + i}` }), "10.0.0.2");
    expect(distinct).toEqual(Array(40).fill(422));
  });

  it("counts IPv6 clients per /64, and IPv4-mapped addresses as IPv4", async () => {
    const statuses: number[] = [];
    // Each with its own (ignored) X-Forwarded-For: only the socket peer may count.
    const xff = (i: number) => ({ "x-forwarded-for": `203.0.113.${i}` });
    for (let i = 0; i < 31; i++) statuses.push((await login(`v6-${i}@example.com`, "", { peer: `2001:db8:1:2:${i.toString(16)}::1`, headers: xff(i) })).status);
    expect(statuses.slice(0, 30)).toEqual(Array(30).fill(422));
    expect(statuses.at(-1)).toBe(429);
    // Another /64 is another client.
    expect((await login("v6-other@example.com", "", { peer: "2001:db8:1:3::1" })).status).toBe(422);
    const mapped: number[] = [];
    for (let i = 0; i < 16; i++) mapped.push((await login(`m-${i}@example.com`, "", { peer: "192.0.2.77", headers: xff(i) })).status);
    for (let i = 0; i < 15; i++) mapped.push((await login(`m2-${i}@example.com`, "", { peer: "::ffff:192.0.2.77", headers: xff(100 + i) })).status);
    expect(mapped.slice(0, 30)).toEqual(Array(30).fill(422));
    expect(mapped.at(-1)).toBe(429);
  });

  it("limits registrations per address, whatever X-Forwarded-For says", async () => {
    const statuses: number[] = [];
    // Real sign-ups and rejected ones count alike (the latter keep the test quick: no password hashing).
    for (let i = 0; i < 32; i++) {
      const email = `signup-${n}-${i}@example.com`;
      const valid = i < 3 || i >= 30;
      const body = { name: "Spam", email, password, password_confirmation: valid ? password : "mismatch" };
      statuses.push((await api.post("/api/v1/auth/register", body, { peer: "192.0.2.60", headers: { "x-forwarded-for": `203.0.113.${i}` } })).status);
    }
    expect(statuses.slice(0, 3)).toEqual([201, 201, 201]);
    expect(statuses.slice(3, 30)).toEqual(Array(27).fill(422));
    expect(statuses.slice(30)).toEqual([429, 429]);
  });
});

describe("client address keys", () => {
  it("normalizes addresses, ports and IPv4-mapped IPv6, groups IPv6 per /64, and refuses anything else", () => {
    expect(normalizeAddress(" 192.0.2.1 ")).toBe("192.0.2.1");
    expect(normalizeAddress("192.0.2.1:8080")).toBe("192.0.2.1");
    expect(normalizeAddress("::ffff:192.0.2.1")).toBe("192.0.2.1");
    expect(normalizeAddress("[2001:DB8:1:2::99]:443")).toBe("2001:0db8:0001:0002::/64");
    expect(normalizeAddress("2001:db8:1:2:ffff:1:2:3")).toBe("2001:0db8:0001:0002::/64");
    expect(normalizeAddress("::1")).toBe("0000:0000:0000:0000::/64");
    for (const bad of ["", "unknown", "1.2.3.4.5", "999.1.1.1", "::::", "<script>", "1.2.3.4, 5.6.7.8", "x".repeat(100), null, undefined]) {
      expect(normalizeAddress(bad), String(bad)).toBeNull();
    }
  });
});

describe("malformed headers never cause a 5xx", () => {
  const ugly: Record<string, string>[] = [
    { authorization: `Bearer ${"a".repeat(20 * 1024)}` },
    { authorization: `Bearer eyJ${"x".repeat(20 * 1024)}.eyJ.sig` },
    { authorization: `Bearer cxk_live_${"A".repeat(20 * 1024)}` },
    { authorization: "Bearer" },
    { authorization: "Bearer " },
    { authorization: "Bearer   cxk_live_abc   def" },
    { authorization: "Basic dXNlcjpwYXNz" },
    { authorization: "Bearer cxk_live_ÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿ" },
    { authorization: "Bearer eyJÿ.eyJÿ.ÿ" },
    { "x-forwarded-for": "x".repeat(20 * 1024) },
    { "x-forwarded-for": ",,,, , ::::, 1.2.3.4.5, [::1, 999.1.1.1, <script>, 'or 1=1--" },
    { "x-forwarded-for": "ÿþ, ü" },
    { "x-vercel-forwarded-for": "not an address", "x-real-ip": "x".repeat(5000) },
    { "x-request-id": "abc\u0001\u007fdef" },
    { "x-request-id": "\t".repeat(10) + "x" },
    { "x-request-id": "x".repeat(20 * 1024) },
    { "content-type": `application/json; ${"x".repeat(20 * 1024)}` },
    { "content-length": "-1" },
  ];
  const trusts: TrustProxy[] = [{ kind: "none" }, { kind: "hops", hops: 1 }, { kind: "hops", hops: 3 }, { kind: "vercel" }];

  it("answers every combination on authenticated and anonymous endpoints with a documented JSON error or success", async () => {
    const { apiKey } = await signUp();
    for (const trust of trusts) {
      env.TRUST_PROXY = trust;
      for (const headers of ugly) {
        const withKey = headers.authorization ? headers : { ...headers, authorization: `Bearer ${apiKey}` };
        const requests: Promise<ApiResponse>[] = [
          call("GET", "/api/v1/auth/me", { headers: withKey }),
          call("GET", "/api/v1/emails?per_page=1", { headers: withKey }),
          call("POST", "/api/v1/auth/login", { headers, body: { email: "odd@example.com", password: "whatever!!" } }),
          call("POST", "/api/v1/auth/register", { headers, body: { name: "x" } }),
          call("PATCH", "/api/v1/auth/login", { headers }),
        ];
        for (const res of await Promise.all(requests)) {
          const label = `${JSON.stringify(trust)} ${JSON.stringify(headers).slice(0, 80)}`;
          expect(res.status, label).toBeLessThan(500);
          expect(res.body, label).toSatisfy((b: any) => typeof b?.error === "string" || Array.isArray(b?.errors) || (res.status < 300 && b !== null));
          expect(res.headers.get("x-request-id"), label).toMatch(/^[\w.:-]{1,128}$/);
        }
      }
    }
  });
});
