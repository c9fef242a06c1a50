/**
 * Nothing accepted is lost, even when the process is killed mid-send: a worker process runs send-email
 * until the first round has failed on both providers and the retry sleeps, and is SIGKILLed; a new engine
 * on the same database resumes from the memoized steps. The emulators show every attempt happened once:
 * round 0 was not replayed, and the email was accepted exactly once.
 */
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, expect, it } from "vitest";
import { openDatabase, setDatabaseFactory, type Database } from "@/server/db";
import { env, setSecretsForTests } from "@/server/env";
import { setLocalEngine, startLocalEngine, stopLocalEngine } from "@/server/jobs/engine";
import { parseKeyRing } from "@/server/lib/crypto";
import { closeProviderClients } from "@/server/providers";
import { startEmulators, type Emulators } from "../../emulators";
import { api, signUp } from "../../helpers/api";
import { connect, emailBody, TEST_TIMINGS, waitForFinal } from "../../helpers/sending";

const repoRoot = path.resolve(import.meta.dirname, "../../..");
const fixture = path.join(import.meta.dirname, "fixtures", "send-worker.ts");
const cleanups: (() => Promise<void> | void)[] = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
});

async function sharedDatabase(): Promise<{ childEnv: Record<string, string>; open: () => Promise<Database> }> {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) {
    const dir = mkdtempSync(path.join(tmpdir(), "cx-crash-"));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const dataDir = path.join(dir, "pglite");
    return { childEnv: { CRASH_PGLITE_DIR: dataDir }, open: () => openDatabase({ kind: "pglite", dataDir }) };
  }
  const schema = `crash_${randomBytes(5).toString("hex")}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`CREATE SCHEMA "${schema}"`);
  cleanups.push(async () => {
    await admin.query(`DROP SCHEMA "${schema}" CASCADE`);
    await admin.end();
  });
  return { childEnv: { CRASH_PG_URL: url, CRASH_PG_SCHEMA: schema }, open: () => openDatabase({ kind: "postgres", url, schema, poolSize: 5 }) };
}

it("resumes send-email after the worker is killed, and the provider accepts the email exactly once", async () => {
  const secrets = { JWT_SECRET: randomBytes(32).toString("hex"), ENCRYPTION_KEYS: `1:${randomBytes(32).toString("base64")}`, INNGEST_SIGNING_KEY: `signkey-test-${randomBytes(32).toString("hex")}` };
  setSecretsForTests({ jwtSecret: new TextEncoder().encode(secrets.JWT_SECRET), keyRing: parseKeyRing(secrets.ENCRYPTION_KEYS), localSigningKey: secrets.INNGEST_SIGNING_KEY });
  const timings = { ...TEST_TIMINGS, SEND_RETRY_DELAYS: "3s", PROVIDER_TIMEOUT_MS: 5000 };
  Object.assign(env, timings);
  const emulators: Emulators = await startEmulators();
  cleanups.push(() => emulators.stop());
  cleanups.push(() => closeProviderClients());

  // 1. This process accepts the email (the run is stored, not started), then lets go of the database.
  const shared = await sharedDatabase();
  let db = await shared.open();
  await db.migrate();
  setDatabaseFactory(async () => db);
  const t = await signUp();
  await connect(t.apiKey, emulators, "sendgrid", { priority: 1 });
  await connect(t.apiKey, emulators, "postmark", { priority: 2 });
  await emulators.fail("sendgrid", "5xx", { times: 1 });
  await emulators.fail("postmark", "5xx", { times: 1 });
  const queued = await api.post("/api/v1/emails", emailBody(), { token: t.apiKey });
  expect(queued.status).toBe(202);
  setLocalEngine(undefined);
  await db.close();

  // 2. A worker process runs round 0 (both providers fail), schedules the retry, and is killed while it sleeps.
  const child = spawn(process.execPath, ["--import", "tsx", fixture], {
    cwd: repoRoot,
    env: { ...process.env, ...shared.childEnv, ...secrets, ...Object.fromEntries(Object.entries(timings).map(([k, v]) => [k, String(v)])), CRASH_EMAIL_ID: queued.body.id, LOG_LEVEL: "warn", JOB_LEASE_MS: "2000" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`worker never reached the retry:\n${output}`)), 30_000);
    child.stdout.on("data", (d: Buffer) => {
      output += d.toString();
      if (output.includes("DEFERRED")) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.stderr.on("data", (d: Buffer) => (output += d.toString()));
    child.on("exit", (code) => reject(new Error(`worker exited early (${code}):\n${output}`)));
  });
  child.removeAllListeners("exit");
  const exited = new Promise((r) => child.once("exit", r));
  child.kill("SIGKILL");
  await exited;
  const posts = (p: "sendgrid" | "postmark") => emulators.http.requests(p).filter((r) => r.method === "POST").length;
  expect([posts("sendgrid"), posts("postmark")]).toEqual([1, 1]);

  // 3. A new engine on the same database resumes from the stored steps.
  db = await shared.open();
  setDatabaseFactory(async () => db);
  cleanups.push(() => db.close());
  cleanups.push(() => stopLocalEngine({ timeoutMs: 5000 }));
  await startLocalEngine({ role: "worker" });
  const done = await waitForFinal(t.apiKey, queued.body.id, 30_000);
  expect(done.status).toBe("sent");
  expect(done.provider).toBe("sendgrid");
  expect(done.events.map((e: any) => e.event_type)).toEqual(["queued", "attempt_failed", "attempt_failed", "deferred", "sent"]);
  // Round 0 was not replayed: one more SendGrid call (the successful one), none to Postmark.
  expect([posts("sendgrid"), posts("postmark")]).toEqual([2, 1]);
  expect(emulators.http.requests("sendgrid").filter((r) => r.method === "POST" && r.response?.status === 202)).toHaveLength(1);
}, 90_000);
