import { describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

/** Loads server/env.ts in a fresh process with exactly `vars`, and asks for the secrets. */
function loadEnv(vars: Record<string, string>) {
  const script = "const m = await import('./server/env.ts'); m.getSecrets(); console.log(JSON.stringify({ mode: m.mode, cloud: m.inngestCloud }));";
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(DATABASE_URL|JWT_SECRET|ENCRYPTION_KEYS|NODE_ENV|DATA_DIR|INNGEST_.*|RATE_LIMIT_PER_MINUTE)$/.test(k)));
  return spawnSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], { env: { ...clean, ...vars } as NodeJS.ProcessEnv, encoding: "utf8", cwd: process.cwd() });
}

describe("environment", () => {
  it("runs embedded without any variable, generating its secrets once into DATA_DIR with a warning", () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), "cx-env-"));
    const first = loadEnv({ DATA_DIR: dataDir });
    expect(first.status, first.stderr).toBe(0);
    expect(JSON.parse(first.stdout)).toEqual({ mode: "embedded", cloud: false });
    expect(first.stderr).toContain("generated local secrets");
    const file = path.join(dataDir, "secrets.json");
    const secrets = JSON.parse(readFileSync(file, "utf8"));
    expect(secrets.encryptionKeys).toMatch(/^1:[A-Za-z0-9+/]{43}=$/);
    expect(statSync(file).mode & 0o077).toBe(0);
    const second = loadEnv({ DATA_DIR: dataDir });
    expect(second.status).toBe(0);
    expect(second.stderr).not.toContain("generated local secrets");
    expect(JSON.parse(readFileSync(file, "utf8"))).toEqual(secrets);
  });

  it("refuses to start in production without JWT_SECRET and ENCRYPTION_KEYS, naming them", () => {
    const res = loadEnv({ NODE_ENV: "production", DATABASE_URL: "postgresql://db.example/prod" });
    expect(res.status).not.toBe(0);
    expect(res.stderr).toContain("Missing required environment variables for production: JWT_SECRET, ENCRYPTION_KEYS");
  });

  it("names the variable that is malformed", () => {
    const res = loadEnv({ RATE_LIMIT_PER_MINUTE: "lots", DATABASE_URL: "mysql://x" });
    expect(res.status).not.toBe(0);
    expect(res.stderr).toContain("RATE_LIMIT_PER_MINUTE: must be a positive whole number");
    expect(res.stderr).toContain("DATABASE_URL: must be a postgres:// or postgresql:// URL");
  });

  it("accepts production with its secrets, and a malformed key ring fails clearly", () => {
    const key = Buffer.alloc(32, 7).toString("base64");
    const ok = loadEnv({ NODE_ENV: "production", DATABASE_URL: "postgresql://db.example/prod", JWT_SECRET: "x".repeat(40), ENCRYPTION_KEYS: `1:${key}` });
    expect(ok.status, ok.stderr).toBe(0);
    expect(JSON.parse(ok.stdout).mode).toBe("postgres");
    const bad = loadEnv({ NODE_ENV: "production", DATABASE_URL: "postgresql://db.example/prod", JWT_SECRET: "x".repeat(40), ENCRYPTION_KEYS: "1:short" });
    expect(bad.status).not.toBe(0);
    expect(bad.stderr).toContain("ENCRYPTION_KEYS: key version 1 must be 32 bytes");
  });
});
