/**
 * The dashboard's sign-in (next-auth credentials `authorize`) is the REST login: the same users and scrypt
 * hashes, and the same per-account failed-login limit, counted together — failures at either door count,
 * and past the limit even the right password is refused at both.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { decode, encode } from "next-auth/jwt";
import { authOptions, authorizeCredentials, SIGN_IN_RATE_LIMITED } from "@/server/auth/next-auth";
import { env } from "@/server/env";
import { FAILED_LOGIN_LIMIT, FAILED_LOGIN_WINDOW_MS } from "@/server/services/auth/login-throttle";
import { api, call } from "../../helpers/api";
import { signUpOwner } from "../../helpers/trpc";

const password = "correct horse battery";

// A frozen clock in the middle of a 15-minute window: no window ends mid-test by chance.
beforeEach(() => {
  const now = Math.floor(Date.now() / FAILED_LOGIN_WINDOW_MS) * FAILED_LOGIN_WINDOW_MS + 7 * 60_000 + 30_000;
  vi.useFakeTimers({ toFake: ["Date"], now });
});
afterEach(() => {
  vi.useRealTimers();
});

describe("next-auth credentials", () => {
  it("accepts the right password with the user, tenant and role, and refuses a wrong one or an unknown email", async () => {
    const owner = await signUpOwner();
    expect(await authorizeCredentials({ email: owner.email.toUpperCase(), password, csrfToken: "x", callbackUrl: "/" })).toEqual({
      id: owner.session.userId,
      tenantId: owner.session.tenantId,
      role: "owner",
      email: owner.email,
      name: expect.any(String),
      sessionVersion: 0,
    });
    expect(await authorizeCredentials({ email: owner.email, password: "wrong password" })).toBeNull();
    expect(await authorizeCredentials({ email: "nobody@example.com", password })).toBeNull();
    expect(await authorizeCredentials({ email: "not an email", password })).toBeNull();
    expect(await authorizeCredentials(undefined)).toBeNull();
  });

  it(`is refused, even with the right password, after ${FAILED_LOGIN_LIMIT} failures in the window`, async () => {
    const owner = await signUpOwner();
    for (let i = 0; i < FAILED_LOGIN_LIMIT; i++) expect(await authorizeCredentials({ email: owner.email, password: `guess ${i}` })).toBeNull();
    await expect(authorizeCredentials({ email: owner.email, password })).rejects.toThrow(SIGN_IN_RATE_LIMITED);
    // The same counter as the REST login.
    expect((await api.post("/api/v1/auth/login", { email: owner.email, password })).status).toBe(429);
    // The next window lets the right password in again.
    vi.setSystemTime(Date.now() + FAILED_LOGIN_WINDOW_MS);
    expect(await authorizeCredentials({ email: owner.email, password })).toMatchObject({ id: owner.session.userId });
  });

  it("counts failures of the REST login and of the dashboard together", async () => {
    const owner = await signUpOwner();
    for (let i = 0; i < FAILED_LOGIN_LIMIT; i++) expect((await api.post("/api/v1/auth/login", { email: owner.email, password: `guess ${i}` })).status).toBe(401);
    await expect(authorizeCredentials({ email: owner.email, password })).rejects.toThrow(SIGN_IN_RATE_LIMITED);
  });

  it("forgives a success, like the REST login: the right password does not use up the limit", async () => {
    const owner = await signUpOwner();
    for (let i = 0; i < FAILED_LOGIN_LIMIT * 2; i++) expect(await authorizeCredentials({ email: owner.email, password })).not.toBeNull();
  });
});

describe("next-auth sign-in route", () => {
  it("shares the REST login's per-address limit: past 30 a minute from one address, 429 in the form signIn() reads", async () => {
    const peer = "203.0.113.77";
    // Invalid bodies still count (the limit is checked before parsing) and cost no password hashing.
    for (let i = 0; i < 30; i++) expect((await api.post("/api/v1/auth/login", {}, { peer })).status).toBe(422);
    const res = await call("POST", "/api/auth/callback/credentials", { peer, rawBody: "email=a%40example.com&password=x&json=true", headers: { "content-type": "application/x-www-form-urlencoded" } });
    expect(res.status).toBe(429);
    expect(Number(res.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(new URL(res.body.url).searchParams.get("error")).toBe(SIGN_IN_RATE_LIMITED);
    expect((await api.post("/api/v1/auth/login", {}, { peer })).status).toBe(429);
  });
});

describe("next-auth session", () => {
  it("carries the user, tenant and role from sign-in into the encrypted session token and the session", async () => {
    env.NEXTAUTH_SECRET = "s".repeat(48);
    const owner = await signUpOwner();
    const options = authOptions();
    expect(options.secret).toBe("s".repeat(48));
    expect(options.session).toMatchObject({ strategy: "jwt", maxAge: 24 * 60 * 60 });
    const user = (await authorizeCredentials({ email: owner.email, password }))!;
    const token = await options.callbacks!.jwt!({ token: { email: user.email, name: user.name, sub: user.id }, user, account: null, trigger: "signIn" } as any);
    const cookie = await encode({ token, secret: options.secret! });
    const decoded = (await decode({ token: cookie, secret: options.secret! }))!;
    // The sign-in time (the 24 h count from it) and the session version it was signed in at.
    expect(decoded).toMatchObject({ userId: owner.session.userId, tenantId: owner.session.tenantId, role: "owner", sessionVersion: 0, authTime: Math.floor(Date.now() / 1000) });
    expect(await decode({ token: cookie, secret: "t".repeat(48) }).catch(() => null)).toBeNull();
    const session = await options.callbacks!.session!({ session: { expires: "" }, token: decoded } as any);
    expect(session.user).toEqual({ id: owner.session.userId, tenantId: owner.session.tenantId, role: "owner", email: owner.email, name: user.name });
  });
});
