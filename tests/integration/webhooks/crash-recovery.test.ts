/**
 * A kill -9 of the worker loses no delivery: a worker process runs two deliveries — one sleeping before
 * its third attempt after two failures, one whose attempt is in flight at a receiver that holds the
 * request — and is SIGKILLed; a new engine on the same database resumes both from their stored steps.
 * The sleeping one is not re-attempted (its two logged attempts stand, then the third succeeds); the one
 * in flight is sent again with the same webhook-id (at least once) and logged once.
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
import { api, signUp } from "../../helpers/api";
import { eventually } from "../../helpers/engine";
import { createEndpoint, Receiver, settledDeliveries } from "./support";

const repoRoot = path.resolve(import.meta.dirname, "../../..");
const fixture = path.join(import.meta.dirname, "fixtures", "webhook-worker.ts");
const cleanups: (() => Promise<void> | void)[] = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
});

async function sharedDatabase(): Promise<{ childEnv: Record<string, string>; open: () => Promise<Database> }> {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) {
    const dir = mkdtempSync(path.join(tmpdir(), "cx-webhook-crash-"));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const dataDir = path.join(dir, "pglite");
    return { childEnv: { CRASH_PGLITE_DIR: dataDir }, open: () => openDatabase({ kind: "pglite", dataDir }) };
  }
  const schema = `whcrash_${randomBytes(5).toString("hex")}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`CREATE SCHEMA "${schema}"`);
  cleanups.push(async () => {
    await admin.query(`DROP SCHEMA "${schema}" CASCADE`);
    await admin.end();
  });
  return { childEnv: { CRASH_PG_URL: url, CRASH_PG_SCHEMA: schema }, open: () => openDatabase({ kind: "postgres", url, schema, poolSize: 5 }) };
}

it("resumes webhook deliveries after the worker is killed mid-retry and mid-attempt; none is lost", async () => {
  const secrets = { JWT_SECRET: randomBytes(32).toString("hex"), ENCRYPTION_KEYS: `1:${randomBytes(32).toString("base64")}`, INNGEST_SIGNING_KEY: `signkey-test-${randomBytes(32).toString("hex")}` };
  setSecretsForTests({ jwtSecret: new TextEncoder().encode(secrets.JWT_SECRET), keyRing: parseKeyRing(secrets.ENCRYPTION_KEYS), localSigningKey: secrets.INNGEST_SIGNING_KEY });
  const timings = { WEBHOOK_RETRY_DELAYS: "100ms,3s", WEBHOOK_TIMEOUT_MS: 20_000 };
  Object.assign(env, timings);
  const retrying = await Receiver.start();
  const holding = await Receiver.start();
  cleanups.push(() => retrying.stop());
  cleanups.push(() => holding.stop());
  retrying.script([{ status: 500 }, { status: 500 }]);
  holding.script([{ status: 200, hang: true }]);

  // 1. This process registers the endpoints and requests two test deliveries (runs stored, not started), then lets go of the database.
  const shared = await sharedDatabase();
  let db = await shared.open();
  await db.migrate();
  setDatabaseFactory(async () => db);
  const t = await signUp();
  const toRetrying = await createEndpoint(t.apiKey, { url: retrying.url() });
  const toHolding = await createEndpoint(t.apiKey, { url: holding.url() });
  const first = await api.post(`/api/v1/webhook_endpoints/${toRetrying.id}/test`, undefined, { token: t.apiKey });
  const second = await api.post(`/api/v1/webhook_endpoints/${toHolding.id}/test`, undefined, { token: t.apiKey });
  expect([first.status, second.status]).toEqual([202, 202]);
  setLocalEngine(undefined);
  await db.close();

  // 2. A worker process attempts both; it is killed while one sleeps before its third attempt and the other's request is held.
  const child = spawn(process.execPath, ["--import", "tsx", fixture], {
    cwd: repoRoot,
    env: { ...process.env, ...shared.childEnv, ...secrets, ...Object.fromEntries(Object.entries(timings).map(([k, v]) => [k, String(v)])), CRASH_RETRYING_ID: first.body.id, LOG_LEVEL: "warn", JOB_LEASE_MS: "2000" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`worker never reached the retry:\n${output}`)), 30_000);
    const check = () => {
      if (output.includes("RETRYING") && holding.received.length === 1) {
        clearTimeout(timer);
        clearInterval(poll);
        resolve();
      }
    };
    const poll = setInterval(check, 20);
    child.stdout.on("data", (d: Buffer) => {
      output += d.toString();
      check();
    });
    child.stderr.on("data", (d: Buffer) => (output += d.toString()));
    child.on("exit", (code) => reject(new Error(`worker exited early (${code}):\n${output}`)));
  });
  child.removeAllListeners("exit");
  const exited = new Promise((r) => child.once("exit", r));
  child.kill("SIGKILL");
  await exited;
  expect(retrying.received).toHaveLength(2);
  expect(holding.received).toHaveLength(1);

  // 3. A new engine on the same database resumes both runs from their stored steps.
  db = await shared.open();
  setDatabaseFactory(async () => db);
  cleanups.push(() => db.close());
  cleanups.push(() => stopLocalEngine({ timeoutMs: 5000 }));
  await startLocalEngine({ role: "worker" });
  const [retried] = await settledDeliveries(t.apiKey, toRetrying.id, 1, 30_000);
  const [held] = await settledDeliveries(t.apiKey, toHolding.id, 1, 30_000);

  // The sleeping run resumed after its sleep: attempts 1 and 2 were not sent again.
  expect(retried).toMatchObject({ status: "succeeded", attempt_count: 3 });
  expect(retried.attempts.map((a: any) => [a.attempt, a.status_code])).toEqual([
    [1, 500],
    [2, 500],
    [3, 200],
  ]);
  expect(retrying.received).toHaveLength(3);
  // The attempt in flight was sent again (same message), and is logged once.
  expect(held).toMatchObject({ status: "succeeded", attempt_count: 1 });
  expect(held.attempts.map((a: any) => [a.attempt, a.status_code])).toEqual([[1, 200]]);
  await eventually(() => holding.received.length === 2);
  expect(new Set(holding.received.map((r) => r.headers["webhook-id"])).size).toBe(1);
  expect(holding.received[0]!.body).toBe(holding.received[1]!.body);
}, 90_000);
