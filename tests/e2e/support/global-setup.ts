/**
 * Playwright's global setup: a production build of the app (built only when stale, see build.ts; shared
 * safely with other runs in the same checkout, see build-lock.ts), a fresh
 * database, and `next start` on a free port. The app's URL reaches the workers as E2E_BASE_URL (workers
 * inherit the runner's environment). The returned function tears everything down.
 *
 * - Embedded default (no TEST_DATABASE_URL): a fresh temporary DATA_DIR, so PGlite migrates itself at start.
 * - TEST_DATABASE_URL set: a fresh database on that server, migrated with `npm run db:migrate`'s script and
 *   dropped afterwards. A database rather than a schema (as vitest's per-file schemas): the app's Prisma
 *   queries name the `public` schema, and the app reads only DATABASE_URL.
 *
 * The provider emulators and the SMTP server are not started here but per worker (fixtures.ts): a fault a
 * spec injects then cannot reach a spec running in the other worker, and specs read the emulators' records
 * directly. The app needs no emulator address at start: each connection a spec creates names its endpoint.
 */
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { FullConfig } from "@playwright/test";
import pg from "pg";
import { freePort, startAppServer, type AppServer } from "../../bench/app-server";
import { buildSdkIfStale } from "../sdk/build-sdk";
import { buildApp, staleBuild } from "./build";
import { claimBuild } from "./build-lock";

/** The app's settings for the run: quick provider timeouts and retries, so failover shows within a test. */
const TEST_APP_ENV = {
  NEXT_TELEMETRY_DISABLED: "1",
  LOG_LEVEL: "warn",
  // Specs stand behind one trusted proxy: each test sends its own X-Forwarded-For (fixtures.ts clientAddress),
  // so the per-address register/sign-in limit (30 a minute) counts per test, not for the whole run.
  TRUST_PROXY: "1",
  PROVIDER_TIMEOUT_MS: "3000",
  SLOW_PROVIDER_MS: "1500",
  SEND_RETRY_DELAYS: "1s,2s,5s",
  WEBHOOK_RETRY_DELAYS: "1s,2s,5s",
  WEBHOOK_TIMEOUT_MS: "3000",
};

interface Database {
  env: Record<string, string>;
  label: string;
  drop(): Promise<void>;
}

async function freshDatabase(root: string): Promise<Database> {
  const adminUrl = process.env.TEST_DATABASE_URL;
  if (!adminUrl) {
    const dataDir = mkdtempSync(path.join(tmpdir(), "cx-e2e-data-"));
    return { env: { DATA_DIR: dataDir }, label: `PGlite in ${dataDir}`, drop: async () => rmSync(dataDir, { recursive: true, force: true }) };
  }
  const name = `cx_e2e_${process.pid}_${randomBytes(4).toString("hex")}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const env = {
    DATABASE_URL: url.toString(),
    // `next start` is production: secrets must come from the environment on PostgreSQL.
    JWT_SECRET: randomBytes(32).toString("hex"),
    NEXTAUTH_SECRET: randomBytes(32).toString("hex"),
    ENCRYPTION_KEYS: `1:${randomBytes(32).toString("base64")}`,
    // The emulators, the SMTP server and the specs' webhook receivers listen on loopback; private ranges
    // stay refused, as in the embedded default (the providers spec checks 10.0.0.1 is refused).
    ALLOW_LOOPBACK_OUTBOUND: "true",
  };
  const drop = async () => {
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.end();
  };
  try {
    execFileSync(process.execPath, ["--import", "tsx", "scripts/db-migrate.ts"], { cwd: root, env: { ...process.env, ...env, LOG_LEVEL: "warn" }, stdio: ["ignore", "ignore", "inherit"] });
  } catch (error) {
    await drop();
    throw error;
  }
  return { env, label: `PostgreSQL database ${name}`, drop };
}

export default async function globalSetup(config: FullConfig): Promise<() => Promise<void>> {
  // The repository root: playwright.config.ts lives there.
  const root = config.configFile ? path.dirname(config.configFile) : process.cwd();
  // The SDK specs import @courierx/node as built (sdk/node/dist); tsc only runs when its sources changed.
  console.log(`e2e: ${buildSdkIfStale(root)}`);
  const build = await claimBuild(
    root,
    () => staleBuild(root),
    (reason) => buildApp(root, reason),
  );
  console.log(`e2e: build ${build.summary}`);

  let database: Database;
  try {
    database = await freshDatabase(root);
  } catch (error) {
    build.release();
    throw error;
  }
  let server: AppServer;
  const started = Date.now();
  const resultsDir = path.join(root, "test-results");
  try {
    mkdirSync(resultsDir, { recursive: true });
    // APP_URL names the port: next-auth's redirects and the provider event URLs use it.
    const port = await freePort();
    const env = { ...TEST_APP_ENV, ...database.env, APP_URL: `http://127.0.0.1:${port}` };
    server = await startAppServer(env, [], { port, logFile: path.join(resultsDir, "app-server.log") });
  } catch (error) {
    await database.drop();
    build.release();
    throw error;
  }
  process.env.E2E_BASE_URL = server.baseUrl;
  writeFileSync(path.join(resultsDir, "e2e-app.json"), JSON.stringify({ baseUrl: server.baseUrl, database: database.label }, null, 2));
  console.log(`e2e: next start on ${server.baseUrl} (${database.label}) ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);

  return async () => {
    await server.stop();
    build.release();
    await database.drop();
  };
}
