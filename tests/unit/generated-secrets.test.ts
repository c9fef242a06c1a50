/**
 * The embedded default's generated secrets (DATA_DIR/secrets.json) under processes that start at once — the
 * web server and `npm run worker`, two dev servers: one set of secrets wins and every process uses it (a
 * second set would make one process's sessions and encrypted credentials unreadable to the other), nobody
 * reads a half-written file, and a damaged file is an error that says so, not a silent new set of secrets.
 */
import { describe, expect, it } from "vitest";
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

const CLEAN_ENV: Record<string, string | undefined> = Object.fromEntries(
  Object.entries(process.env).filter(([k]) => !/^(DATABASE_URL|JWT_SECRET|ENCRYPTION_KEYS|NEXTAUTH_SECRET|NODE_ENV|DATA_DIR|INNGEST_.*)$/.test(k)),
);

/**
 * Node with server/env.ts loaded (it reads no secret on import); once `go` exists, it asks for the next-auth
 * secret and then the others, and prints them.
 */
function childScript(readyFile: string, goFile: string): string {
  return `
    const fs = await import('node:fs');
    const m = await import('./server/env.ts');
    fs.writeFileSync(${JSON.stringify(readyFile)}, '');
    while (!fs.existsSync(${JSON.stringify(goFile)})) {}
    const nextAuthSecret = m.getNextAuthSecret();
    const s = m.getSecrets();
    console.log(JSON.stringify({ nextAuthSecret, jwt: Buffer.from(s.jwtSecret).toString(), signing: s.localSigningKey }));
  `;
}

interface Outcome {
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(script: string, dataDir: string): Promise<Outcome> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], {
      env: { ...CLEAN_ENV, DATA_DIR: dataDir, LOG_LEVEL: "warn" } as unknown as NodeJS.ProcessEnv,
      cwd: process.cwd(),
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

async function until(condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error("children did not get ready in time");
    await new Promise((r) => setTimeout(r, 20));
  }
}

function loadOnce(dataDir: string) {
  const script = "const m = await import('./server/env.ts'); console.log(m.getNextAuthSecret());";
  return spawnSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], {
    env: { ...CLEAN_ENV, DATA_DIR: dataDir } as unknown as NodeJS.ProcessEnv,
    encoding: "utf8",
    cwd: process.cwd(),
  });
}

describe("generated secrets", () => {
  it("processes starting at once in a fresh DATA_DIR all end with the same secrets, one file of mode 0600 and no leftovers", { timeout: 60_000 }, async () => {
    // Several rounds, each a fresh directory and processes released at the same instant: the first to
    // write must not be read half-done, and no two may keep different secrets.
    for (let round = 0; round < 3; round++) {
      const dataDir = mkdtempSync(path.join(tmpdir(), "cx-secrets-race-"));
      const barrier = mkdtempSync(path.join(tmpdir(), "cx-secrets-barrier-"));
      const go = path.join(barrier, "go");
      const ready = [0, 1, 2].map((i) => path.join(barrier, `ready-${i}`));
      const children = ready.map((r) => run(childScript(r, go), dataDir));
      await until(() => ready.every((r) => existsSync(r)), 45_000);
      writeFileSync(go, "");
      const outcomes = await Promise.all(children);
      for (const o of outcomes) expect(o.code, o.stderr).toBe(0);
      const secrets = outcomes.map((o) => JSON.parse(o.stdout));
      const file = path.join(dataDir, "secrets.json");
      const stored = JSON.parse(readFileSync(file, "utf8"));
      for (const s of secrets) expect(s).toEqual({ nextAuthSecret: stored.nextAuthSecret, jwt: stored.jwtSecret, signing: stored.localSigningKey });
      // Exactly one process generated them (and said so).
      expect(outcomes.filter((o) => o.stderr.includes("generated local secrets"))).toHaveLength(1);
      expect(statSync(file).mode & 0o777).toBe(0o600);
      expect(readdirSync(dataDir)).toEqual(["secrets.json"]);
    }
  });

  it.each([
    ["empty", "", "it is empty"],
    ["cut short", '{\n  "jwtSecret": "abc', "it is not JSON"],
    ["missing a secret", JSON.stringify({ jwtSecret: "j".repeat(64), encryptionKeys: "1:x" }), "jwtSecret, encryptionKeys or localSigningKey is missing"],
    ["with a short next-auth secret", JSON.stringify({ jwtSecret: "j".repeat(64), encryptionKeys: "1:x", localSigningKey: "k", nextAuthSecret: "short" }), "nextAuthSecret is not a string"],
  ])("refuses an existing secrets file that is %s with a clear message, and leaves it alone", (_name, content, why) => {
    const dataDir = mkdtempSync(path.join(tmpdir(), "cx-secrets-bad-"));
    const file = path.join(dataDir, "secrets.json");
    writeFileSync(file, content, { mode: 0o600 });
    const res = loadOnce(dataDir);
    expect(res.status).not.toBe(0);
    const thrown = res.stderr.split("\n").find((line) => line.startsWith("Error: "));
    expect(thrown).toContain(`The generated secrets file ${file} is unreadable: ${why}`);
    expect(thrown).toContain("set JWT_SECRET, ENCRYPTION_KEYS and NEXTAUTH_SECRET");
    expect(res.stderr).not.toContain("generated local secrets");
    expect(readFileSync(file, "utf8")).toBe(content);
  });
});
