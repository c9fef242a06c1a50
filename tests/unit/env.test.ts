import { describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

/** Loads server/env.ts in a fresh process with exactly `vars`, and asks for the secrets. */
function loadEnv(vars: Record<string, string>) {
  const script =
    "const m = await import('./server/env.ts'); m.getSecrets(); console.log(JSON.stringify({ mode: m.mode, cloud: m.inngestCloud, nextAuthSecret: m.getNextAuthSecret() }));";
  const clean = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !/^(DATABASE_URL|JWT_SECRET|ENCRYPTION_KEYS|NEXTAUTH_SECRET|NODE_ENV|DATA_DIR|INNGEST_.*|RATE_LIMIT_PER_MINUTE)$/.test(k)),
  );
  return spawnSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], { env: { ...clean, ...vars } as NodeJS.ProcessEnv, encoding: "utf8", cwd: process.cwd() });
}

describe("environment", () => {
  it("runs embedded without any variable, generating its secrets once into DATA_DIR with a warning", () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), "cx-env-"));
    const first = loadEnv({ DATA_DIR: dataDir });
    expect(first.status, first.stderr).toBe(0);
    expect(JSON.parse(first.stdout)).toMatchObject({ mode: "embedded", cloud: false });
    expect(first.stderr).toContain("generated local secrets");
    const file = path.join(dataDir, "secrets.json");
    const secrets = JSON.parse(readFileSync(file, "utf8"));
    expect(secrets.encryptionKeys).toMatch(/^1:[A-Za-z0-9+/]{43}=$/);
    expect(secrets.nextAuthSecret).toMatch(/^[\w-]{64}$/);
    expect(JSON.parse(first.stdout).nextAuthSecret).toBe(secrets.nextAuthSecret);
    expect(statSync(file).mode & 0o077).toBe(0);
    const second = loadEnv({ DATA_DIR: dataDir });
    expect(second.status).toBe(0);
    expect(second.stderr).not.toContain("generated local secrets");
    expect(JSON.parse(readFileSync(file, "utf8"))).toEqual(secrets);
  });

  it("gives a secrets file written before the dashboard a next-auth secret derived from its JWT secret, the same every time", () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), "cx-env-"));
    const file = path.join(dataDir, "secrets.json");
    const old = { jwtSecret: "j".repeat(64), encryptionKeys: `1:${Buffer.alloc(32, 1).toString("base64")}`, localSigningKey: "signkey-local-abc" };
    writeFileSync(file, JSON.stringify(old), { mode: 0o600 });
    const first = loadEnv({ DATA_DIR: dataDir });
    expect(first.status, first.stderr).toBe(0);
    const derived = JSON.parse(first.stdout).nextAuthSecret;
    expect(derived).toMatch(/^[\w-]{43}$/);
    expect(JSON.parse(loadEnv({ DATA_DIR: dataDir }).stdout).nextAuthSecret).toBe(derived);
    expect(JSON.parse(readFileSync(file, "utf8"))).toEqual(old);
    expect(JSON.parse(loadEnv({ DATA_DIR: dataDir, NEXTAUTH_SECRET: "n".repeat(40) }).stdout).nextAuthSecret).toBe("n".repeat(40));
  });

  it("refuses to start in production without JWT_SECRET and ENCRYPTION_KEYS, naming them", () => {
    const res = loadEnv({ NODE_ENV: "production", DATABASE_URL: "postgresql://db.example/prod" });
    expect(res.status).not.toBe(0);
    expect(res.stderr).toContain("Missing required environment variables for production: JWT_SECRET, ENCRYPTION_KEYS");
  });

  it("refuses the dashboard's session key in production without NEXTAUTH_SECRET (the REST secrets still load), and a short one anywhere", () => {
    const key = Buffer.alloc(32, 7).toString("base64");
    const res = loadEnv({ NODE_ENV: "production", DATABASE_URL: "postgresql://db.example/prod", JWT_SECRET: "x".repeat(40), ENCRYPTION_KEYS: `1:${key}` });
    expect(res.status).not.toBe(0);
    expect(res.stderr).toContain("Missing required environment variable for production: NEXTAUTH_SECRET");
    // Only NEXTAUTH_SECRET is missing (the local engine's generated signing key may still be logged about).
    const thrown = res.stderr.split("\n").find((line) => line.startsWith("Error: "));
    expect(thrown).toContain("NEXTAUTH_SECRET");
    expect(thrown).not.toContain("JWT_SECRET");
    const short = loadEnv({ NEXTAUTH_SECRET: "short" });
    expect(short.status).not.toBe(0);
    expect(short.stderr).toContain("NEXTAUTH_SECRET: must be at least 32 characters");
  });

  it("names the variable that is malformed", () => {
    const res = loadEnv({ RATE_LIMIT_PER_MINUTE: "lots", DATABASE_URL: "mysql://x" });
    expect(res.status).not.toBe(0);
    expect(res.stderr).toContain("RATE_LIMIT_PER_MINUTE: must be a positive whole number");
    expect(res.stderr).toContain("DATABASE_URL: must be a postgres:// or postgresql:// URL");
  });

  it("accepts production with its secrets, and a malformed key ring fails clearly", () => {
    const key = Buffer.alloc(32, 7).toString("base64");
    const ok = loadEnv({ NODE_ENV: "production", DATABASE_URL: "postgresql://db.example/prod", JWT_SECRET: "x".repeat(40), ENCRYPTION_KEYS: `1:${key}`, NEXTAUTH_SECRET: "y".repeat(40) });
    expect(ok.status, ok.stderr).toBe(0);
    expect(JSON.parse(ok.stdout).mode).toBe("postgres");
    const bad = loadEnv({ NODE_ENV: "production", DATABASE_URL: "postgresql://db.example/prod", JWT_SECRET: "x".repeat(40), ENCRYPTION_KEYS: "1:short", NEXTAUTH_SECRET: "y".repeat(40) });
    expect(bad.status).not.toBe(0);
    expect(bad.stderr).toContain("ENCRYPTION_KEYS: key version 1 must be 32 bytes");
  });
});
