import { describe, expect, it } from "vitest";
import { SignJWT } from "jose";
import { signSessionToken } from "@/server/auth/jwt";
import { api, signUp } from "../../helpers/api";

const password = "correct horse battery";

function register(overrides: Record<string, unknown> = {}, ip = "192.0.2.10") {
  return api.post(
    "/api/v1/auth/register",
    { name: "My App", email: `Dev.${Math.random().toString(36).slice(2)}@Example.com `, password, password_confirmation: password, ...overrides },
    { peer: ip },
  );
}

describe("POST /api/v1/auth/register", () => {
  it("creates an account and returns a JWT with the account and user", async () => {
    const res = await register({ email: "  Alice@Example.COM " });
    expect(res.status).toBe(201);
    expect(res.body.token).toMatch(/^eyJ[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(res.body.user).toMatchObject({ email: "alice@example.com", name: "My App", role: "owner" });
    expect(res.body.account).toMatchObject({ name: "My App" });
    expect(res.body.user).not.toHaveProperty("password_hash");
    expect(res.text).not.toContain(password);
  });

  it("refuses a taken email (case-insensitively) with 422 and creates nothing", async () => {
    const first = await register({ email: "bob@example.com" });
    expect(first.status).toBe(201);
    const again = await register({ email: "BOB@example.com" });
    expect(again.status).toBe(422);
    expect(again.body).toEqual({ errors: ["email has already been taken"] });
  });

  it("validates every field with readable messages", async () => {
    const res = await api.post("/api/v1/auth/register", { email: "not-an-email", password: "short", password_confirmation: "other" }, { peer: "192.0.2.11" });
    expect(res.status).toBe(422);
    expect(res.body.errors).toEqual(
      expect.arrayContaining(["name is required", "email is not a valid email address", "password must be at least 10 characters"]),
    );
    const mismatch = await register({ password_confirmation: "something else entirely" });
    expect(mismatch.status).toBe(422);
    expect(mismatch.body.errors).toEqual(["password_confirmation doesn't match password"]);
  });

  it("rejects unknown fields instead of silently ignoring them", async () => {
    const res = await register({ plan: "enterprise" });
    expect(res.status).toBe(422);
    expect(res.body.errors).toEqual(["Unknown field: plan"]);
  });
});

describe("POST /api/v1/auth/login", () => {
  it("returns a 24 h JWT for the right password", async () => {
    await register({ email: "carol@example.com" });
    const res = await api.post("/api/v1/auth/login", { email: "Carol@example.com", password }, { peer: "192.0.2.20" });
    expect(res.status).toBe(200);
    const expiresIn = Date.parse(res.body.expires_at) - Date.now();
    expect(expiresIn).toBeGreaterThan(23.9 * 3600_000);
    expect(expiresIn).toBeLessThanOrEqual(24 * 3600_000);
    const me = await api.get("/api/v1/auth/me", { token: res.body.token });
    expect(me.status).toBe(200);
    expect(me.body.user.email).toBe("carol@example.com");
  });

  it("answers a wrong password and an unknown email alike: 401 Unauthorized", async () => {
    await register({ email: "dave@example.com" });
    const wrong = await api.post("/api/v1/auth/login", { email: "dave@example.com", password: "wrong password!" }, { peer: "192.0.2.21" });
    const unknown = await api.post("/api/v1/auth/login", { email: "nobody@example.com", password }, { peer: "192.0.2.21" });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.body).toEqual({ error: "Unauthorized" });
    expect(unknown.body).toEqual(wrong.body);
  });

  it("limits login attempts per client address with a real 429", async () => {
    const ip = "198.51.100.77";
    // A new email each time: the per-account limit must not be what answers 429 here.
    let last = await api.post("/api/v1/auth/login", { email: "x@example.com", password }, { peer: ip });
    // Up to two windows' worth, in case a minute boundary passes mid-way.
    for (let i = 0; i < 62 && last.status !== 429; i++) {
      last = await api.post("/api/v1/auth/login", { email: `x${i}@example.com`, password }, { peer: ip });
    }
    expect(last.status).toBe(429);
    expect(last.body).toEqual({ error: "Rate limit exceeded" });
    expect(Number(last.headers.get("retry-after"))).toBeGreaterThan(0);
  });
});

describe("GET /api/v1/auth/me and JWTs", () => {
  it("shows the account for a JWT and for an API key", async () => {
    const { token, apiKey, tenantId } = await signUp("Me Inc");
    const withJwt = await api.get("/api/v1/auth/me", { token });
    expect(withJwt.status).toBe(200);
    expect(withJwt.body.account).toMatchObject({ id: tenantId, name: "Me Inc" });
    const withKey = await api.get("/api/v1/auth/me", { token: apiKey });
    expect(withKey.status).toBe(200);
    expect(withKey.body.account.id).toBe(tenantId);
    expect(withKey.body.authenticated_with).toMatchObject({ type: "api_key", mode: "live" });
  });

  it("refuses missing, malformed, tampered and expired tokens with 401", async () => {
    const { token, tenantId } = await signUp();
    const [header, payload, signature] = token.split(".");
    const claims = JSON.parse(Buffer.from(payload!, "base64url").toString());
    const forged = `${header}.${Buffer.from(JSON.stringify({ ...claims, tid: "00000000-0000-4000-8000-000000000000" })).toString("base64url")}.${signature}`;
    const otherSecret = await new SignJWT({ tid: tenantId }).setProtectedHeader({ alg: "HS256" }).setSubject(claims.sub).setIssuer("courierx").setAudience("courierx-api").setExpirationTime("1h").sign(new TextEncoder().encode("x".repeat(64)));
    const expired = (await signSessionToken({ userId: claims.sub, tenantId }, Date.now() - 25 * 3600_000)).token;
    for (const bad of [undefined, "garbage", forged, otherSecret, expired, `${header}.${payload}.`]) {
      const res = await api.get("/api/v1/auth/me", { token: bad });
      expect(res.status, String(bad)).toBe(401);
      expect(res.body).toEqual({ error: "Unauthorized" });
    }
    const noneAlg = `${Buffer.from(JSON.stringify({ alg: "none", typ: "JWT" })).toString("base64url")}.${payload}.`;
    expect((await api.get("/api/v1/auth/me", { token: noneAlg })).status).toBe(401);
  });
});
