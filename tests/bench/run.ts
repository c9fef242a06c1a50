/**
 * npm run bench — measured in one run on this machine, against `next start` on PGlite and on PostgreSQL
 * (when 127.0.0.1:5432 answers), with the provider emulators:
 *  (a) POST /api/v1/emails req/s and p50/p99 at 10 and 50 connections, next to a bare route parsing the same body;
 *  (b) emails/s from 202 to `sent` through the emulator with the local engine;
 *  (c) added latency per email when the primary refuses connections, and when it black-holes requests
 *      (how many emails pay the timeout, and the latency once the outage is known);
 *  (d) on PostgreSQL, 90-day analytics metrics for a tenant with 1,000,000 emails (analytics.ts).
 * `--analytics-only` runs (d) alone.
 * Next to (a) and (b) it prints the CPU time each process spent (cpu.ts): the web process tree, the
 * `npm run worker` process, this process (load generator + emulators), the PostgreSQL server's processes, and
 * the whole machine (so a figure shows when the box itself, not one process, is the bound).
 * `--profile` (or BENCH_PROFILE=1) starts the web process and the worker under `node --cpu-prof` and prints
 * the top self-time frames of the send API runs (a) and of the delivery run (b) (cpu-profile.ts); the
 * figures of a profiled run carry the profiler's overhead.
 * Prints figures and ratios; asserts nothing (targets are read, not enforced).
 */
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { startEmulators, type Emulators } from "../emulators";
import { benchAnalytics, printAnalytics, type AnalyticsFigures } from "./analytics";
import { countByStatus, http, inParallel, startAppServer, type AppServer } from "./app-server";
import { measureCpu, type CpuTarget } from "./cpu";
import { formatTopFrames, summarizeProfiles, type Window } from "./cpu-profile";
import { ADMIN_URL, benchDatabase } from "./database";
import { measureRoute, type RouteFigures } from "./load";
import { benchTwoInstances, printTwoInstances } from "./two-instances";

const PROVIDER_TIMEOUT_MS = 2000;
const DURATION_S = Number(process.env.BENCH_DURATION_S ?? 8);
const ANALYTICS_ONLY = process.argv.includes("--analytics-only");
/** (e), after the others: two next start instances with their engines on one PostgreSQL (two-instances.ts). */
const TWO_INSTANCES = process.argv.includes("--two-instances");
const analyticsFigures: AnalyticsFigures[] = [];
const PROFILE = process.argv.includes("--profile") || process.env.BENCH_PROFILE === "1";
/** `--modes=pglite,postgres` runs only those of pglite, postgres and postgres+worker (default: all three). */
const MODES = process.argv.find((a) => a.startsWith("--modes="))?.slice("--modes=".length).split(",");
const wanted = (mode: Mode) => !MODES || MODES.includes(mode);
/** Profiles to summarise once their processes have exited (V8 writes them at exit). */
const profileReports: { title: string; dir: string; windows: Window[] }[] = [];
const profileDirs: string[] = [];

const emailBody = (i: number, extra: Record<string, unknown> = {}) => ({
  from_email: "hello@yourapp.com",
  from_name: "Your App",
  to_email: `user${i}@example.com`,
  to_name: "Alice",
  subject: "Welcome to Your App",
  html_body: "<h1>Welcome, Alice!</h1><p>Thanks for signing up.</p>",
  text_body: "Welcome, Alice! Thanks for signing up.",
  tags: ["welcome", "onboarding"],
  ...extra,
});

interface Tenant {
  apiKey: string;
  primaryId: string;
}

async function setUpTenant(server: AppServer, emulators: Emulators): Promise<Tenant> {
  const email = `bench-${randomBytes(4).toString("hex")}@example.com`;
  const reg = await http(server.baseUrl, "POST", "/api/v1/auth/register", { name: "Bench", email, password: "bench-password-1", password_confirmation: "bench-password-1" });
  const key = await http(server.baseUrl, "POST", "/api/v1/api_keys", { name: "bench" }, reg.body.token);
  const sg = emulators.connection("sendgrid");
  const pm = emulators.connection("postmark");
  const primary = await http(server.baseUrl, "POST", "/api/v1/provider_connections", { provider: "sendgrid", priority: 1, api_key: sg.credentials.apiKey, endpoint: sg.settings.endpoint }, key.body.raw_key);
  await http(server.baseUrl, "POST", "/api/v1/provider_connections", { provider: "postmark", priority: 2, api_key: pm.credentials.apiKey, endpoint: pm.settings.endpoint }, key.body.raw_key);
  if (primary.body?.verification?.status !== "verified") throw new Error(`bench setup failed: ${JSON.stringify(primary.body)}`);
  return { apiKey: key.body.raw_key, primaryId: primary.body.id };
}

async function waitUntilIdle(server: AppServer, apiKey: string, timeoutMs = 300_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    // An email being attempted or waiting for a retry reads `queued` too.
    if ((await countByStatus(server.baseUrl, apiKey, "queued")) === 0) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error("emails still pending after the timeout");
}

/** (b): N emails posted with 50 connections; the clock runs from the first POST to the last `sent`. */
async function endToEnd(server: AppServer, tenant: Tenant, n: number): Promise<{ emailsPerSecond: number; seconds: number }> {
  const before = await countByStatus(server.baseUrl, tenant.apiKey, "sent");
  const started = performance.now();
  await inParallel(n, 50, async (i) => {
    const res = await http(server.baseUrl, "POST", "/api/v1/emails", emailBody(i), tenant.apiKey);
    if (res.status !== 202) throw new Error(`send failed: ${res.status}`);
  });
  for (;;) {
    if ((await countByStatus(server.baseUrl, tenant.apiKey, "sent")) - before >= n) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  const seconds = (performance.now() - started) / 1000;
  return { emailsPerSecond: n / seconds, seconds };
}

/** Per-email latency from acceptance to `sent`, from the email's own timestamps. */
async function sendPaced(server: AppServer, tenant: Tenant, count: number, perSecond: number): Promise<number[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const started = Date.now();
    const res = await http(server.baseUrl, "POST", "/api/v1/emails", emailBody(i), tenant.apiKey);
    ids.push(res.body.id);
    await new Promise((r) => setTimeout(r, Math.max(0, 1000 / perSecond - (Date.now() - started))));
  }
  await waitUntilIdle(server, tenant.apiKey);
  const latencies: number[] = [];
  for (const id of ids) {
    const email = await http(server.baseUrl, "GET", `/api/v1/emails/${id}`, undefined, tenant.apiKey);
    if (email.body.status !== "sent") throw new Error(`email ${id} ended ${email.body.status}`);
    latencies.push(Date.parse(email.body.sent_at) - Date.parse(email.body.queued_at));
  }
  return latencies;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

interface ModeResult {
  mode: Mode;
  routes: { conns: number; bare: RouteFigures; api: RouteFigures }[];
  e2e: { emailsPerSecond: number; seconds: number; n: number; cpuMs: Record<string, number>; wallMs: number };
  failover: { baselineMs: number; refusedMs: number; hangPaid: number; hangAfterKnownMs: number; hangCount: number };
}

type Mode = "pglite" | "postgres" | "postgres+worker";

/** `npm run worker` beside a web process started with LOCAL_ENGINE=off: the engine gets its own core. */
function startWorker(env: Record<string, string>, nodeArgs: string[] = []): ChildProcess {
  return spawn(process.execPath, [...nodeArgs, "--import", "tsx", "scripts/worker.ts"], { env: { ...process.env, ...env }, stdio: "ignore" });
}

/** A directory for one process's .cpuprofile files, and the node flags that write them there. */
function profileDir(mode: Mode, role: string): { dir: string; flags: string[] } {
  const dir = path.join(mkdtempSync(path.join(tmpdir(), `cx-bench-prof-${mode}-`)), role);
  mkdirSync(dir);
  profileDirs.push(path.dirname(dir));
  return { dir, flags: ["--cpu-prof", `--cpu-prof-dir=${dir}`] };
}

async function runMode(mode: Mode, emulators: Emulators): Promise<ModeResult | null> {
  const common = {
    RATE_LIMIT_PER_MINUTE: "100000000",
    BENCH_ROUTES: "true",
    LOG_LEVEL: "warn",
    PROVIDER_TIMEOUT_MS: String(PROVIDER_TIMEOUT_MS),
    SLOW_PROVIDER_MS: "300",
    CIRCUIT_COOLDOWN_MS: "600000",
    NEXT_TELEMETRY_DISABLED: "1",
  };
  const db = await benchDatabase(mode === "pglite" ? "pglite" : "postgres", `bench_${mode === "postgres" ? "a" : "b"}`);
  const env: Record<string, string> = { ...common, ...db.env };
  const cleanup = () => db.drop();
  const withWorker = mode === "postgres+worker";
  // Node flags of the launcher: Node 20 refuses --cpu-prof in NODE_OPTIONS, and `next start` (16.4) serves
  // in the launcher's own process (no fork), which cpu.ts's tree measure would show otherwise.
  const webProfile = PROFILE && !ANALYTICS_ONLY ? profileDir(mode, "web") : undefined;
  const workerProfile = PROFILE && withWorker ? profileDir(mode, "worker") : undefined;
  const worker = withWorker ? startWorker(env, workerProfile?.flags) : undefined;
  const server = await startAppServer(withWorker ? { ...env, LOCAL_ENGINE: "off" } : env, webProfile?.flags);
  const cpu: Record<string, CpuTarget> = {
    web: server.pid,
    ...(worker?.pid ? { worker: worker.pid } : {}),
    bench: "self",
    ...(mode === "pglite" ? {} : { db: "postgres" as const }),
    machine: "machine",
  };
  try {
    if (mode === "postgres" && ANALYTICS_ONLY) {
      analyticsFigures.push(await benchAnalytics(server.baseUrl, env.DATABASE_URL!));
      return null;
    }
    const tenant = await setUpTenant(server, emulators);
    const headers = { "content-type": "application/json", authorization: `Bearer ${tenant.apiKey}` };
    const body = JSON.stringify(emailBody(0));

    // Warm both routes (JIT, caches) before measuring.
    await measureRoute({ url: `${server.baseUrl}/api/bench/echo`, headers, body, connections: 10, seconds: 2 });
    await measureRoute({ url: `${server.baseUrl}/api/v1/emails`, headers, body, connections: 10, seconds: 2 });
    await waitUntilIdle(server, tenant.apiKey);

    const routes: ModeResult["routes"] = [];
    for (const conns of [10, 50]) {
      const bare = await measureRoute({ url: `${server.baseUrl}/api/bench/echo`, headers, body, connections: conns, seconds: DURATION_S, cpu });
      const api = await measureRoute({ url: `${server.baseUrl}/api/v1/emails`, headers, body, connections: conns, seconds: DURATION_S, cpu });
      routes.push({ conns, bare, api });
      await waitUntilIdle(server, tenant.apiKey);
    }

    const n = mode === "pglite" ? 1500 : 3000;
    const measured = await measureCpu(cpu, () => endToEnd(server, tenant, n));
    const e2e = { ...measured.result, n, cpuMs: measured.cpuMs, wallMs: measured.wallMs };
    if (webProfile) {
      const apiRuns = routes.map((r) => ({ startUs: r.api.startUs, endUs: r.api.endUs }));
      profileReports.push({ title: `${mode}: web process, (a) POST /api/v1/emails runs (10 and 50 connections)`, dir: webProfile.dir, windows: apiRuns });
      profileReports.push({ title: `${mode}: web process, (b) ${n} emails from 202 to sent`, dir: webProfile.dir, windows: [measured] });
    }
    if (workerProfile) profileReports.push({ title: `${mode}: npm run worker, (b) ${n} emails from 202 to sent`, dir: workerProfile.dir, windows: [measured] });

    await emulators.reset();
    const baseline = await sendPaced(server, tenant, 30, 10);
    await emulators.fail("sendgrid", "refuse");
    const refused = await sendPaced(server, tenant, 30, 10);
    await emulators.heal();
    // A fresh tenant, so the black-hole run starts with a closed circuit.
    const hangTenant = await setUpTenant(server, emulators);
    await emulators.fail("sendgrid", "hang", { times: Infinity });
    const hangCount = 60;
    const hang = await sendPaced(server, hangTenant, hangCount, 10);
    await emulators.heal();
    const paid = hang.filter((ms) => ms >= PROVIDER_TIMEOUT_MS).length;
    const afterKnown = hang.slice(20);
    if (mode === "postgres") analyticsFigures.push(await benchAnalytics(server.baseUrl, env.DATABASE_URL!));

    return {
      mode,
      routes,
      e2e,
      failover: { baselineMs: median(baseline), refusedMs: median(refused), hangPaid: paid, hangAfterKnownMs: median(afterKnown), hangCount },
    };
  } finally {
    await server.stop();
    if (worker) {
      const exited = new Promise((r) => worker.once("exit", r));
      worker.kill("SIGTERM");
      await exited;
    }
    await cleanup();
  }
}

function print(results: ModeResult[]): void {
  const f = (x: number, d = 0) => x.toFixed(d);
  console.log("\n== (a) POST /api/v1/emails vs a bare Next.js route parsing the same body ==");
  const cpuColumns = (label1: string, bare: string, api: string, ratio: string, worker: string, label2: string, cores: string[]) =>
    `  |  ${label1.padEnd(15)} ${bare.padStart(5)} ${api.padStart(5)} ${ratio.padStart(8)}  |  ${worker.padStart(13)}  |  ${label2.padEnd(15)} ${cores.map((c, i) => c.padStart(i === 0 ? 4 : 7)).join("")}`;
  console.log(
    "mode             conns  bare req/s  p50   p99  |  api req/s  p50   p99  |  ratio  p99 target (2×bare+10ms)" +
      cpuColumns("web CPU ms/req", "bare", "api", "api/bare", "worker ms/req", "cores (api run)", ["web", "worker", "bench", "db", "machine"]),
  );
  const perRequest = (x: RouteFigures, name: string) => (x.cpuMs[name] ?? NaN) / x.accepted;
  const cores = (x: RouteFigures, name: string) => (name in x.cpuMs ? f(x.cpuMs[name]! / x.wallMs, 2) : "-");
  for (const r of results) {
    for (const x of r.routes) {
      const ratio = x.api.rps / x.bare.rps;
      const p99Target = 2 * x.bare.p99 + 10;
      const bareCpu = perRequest(x.bare, "web");
      const apiCpu = perRequest(x.api, "web");
      const workerCpu = "worker" in x.api.cpuMs ? f(perRequest(x.api, "worker"), 2) : "-";
      console.log(
        `${r.mode.padEnd(16)} ${String(x.conns).padStart(5)}  ${f(x.bare.rps).padStart(10)} ${f(x.bare.p50).padStart(4)} ${f(x.bare.p99).padStart(5)}  |  ${f(x.api.rps).padStart(9)} ${f(x.api.p50).padStart(4)} ${f(x.api.p99).padStart(5)}  |  ${f(ratio, 2).padStart(5)}  ${`${f(p99Target).padStart(4)} ms ${x.api.p99 <= p99Target ? "met" : "missed"}`.padEnd(24)}` +
          cpuColumns("", f(bareCpu, 2), f(apiCpu, 2), `${f(apiCpu / bareCpu, 1)}×`, workerCpu, "", ["web", "worker", "bench", "db", "machine"].map((name) => cores(x.api, name))),
      );
    }
  }
  console.log("targets: ratio ≥ 0.6 on postgres, ≥ 0.3 on pglite");
  console.log(
    "CPU: /proc/<pid>/stat of the web process tree (next start and its descendants) over each run ÷ its 2xx answers; in pglite and postgres the web process's",
  );
  console.log(
    "local engine delivers the accepted emails during the api run, so its work is in the api figure (postgres+worker: web has LOCAL_ENGINE=off and the worker's share is its own column);",
  );
  console.log("cores busy = CPU ms ÷ wall ms of the api run; bench = this process (autocannon, the load generator, plus the provider emulators);");
  console.log(`db = every postgres process (the local server's backends); machine = all ${availableParallelism()} CPUs of the box (/proc/stat), whoever used them.`);
  console.log("\n== (b) emails/s from 202 to sent (local engine, SendGrid emulator) ==");
  for (const r of results) {
    const e = r.e2e;
    const perEmail = (name: string) => (name in e.cpuMs ? `${f(e.cpuMs[name]! / e.n, 2)} (${f(e.cpuMs[name]! / e.wallMs, 2)} cores)` : "-");
    const total = Object.entries(e.cpuMs).reduce((sum, [name, ms]) => (name === "machine" ? sum : sum + ms), 0);
    console.log(
      `${r.mode.padEnd(16)} ${f(e.emailsPerSecond, 1)} emails/s (${e.n} emails in ${f(e.seconds, 1)} s)   target ≥ ${r.mode === "pglite" ? 100 : 300}/s`.padEnd(72) +
        `  |  CPU ms/email: web ${perEmail("web")}, worker ${perEmail("worker")}, bench ${perEmail("bench")}, db ${perEmail("db")}, all ${f(total / e.n, 2)}; machine ${perEmail("machine")}`,
    );
  }
  console.log("CPU ms per delivered email over the same window; bench = this process: the provider emulators, including the load generator (the POSTs) and the status polling.");
  console.log("\n== (c) failover latency (median time from 202 to sent, 10 emails/s) ==");
  for (const r of results) {
    const x = r.failover;
    console.log(
      `${r.mode.padEnd(16)} healthy ${f(x.baselineMs)} ms | primary refuses: ${f(x.refusedMs)} ms (+${f(x.refusedMs - x.baselineMs)} ms) | primary black-holes (timeout ${PROVIDER_TIMEOUT_MS} ms): ${x.hangPaid}/${x.hangCount} emails paid the timeout, then ${f(x.hangAfterKnownMs)} ms (+${f(x.hangAfterKnownMs - x.baselineMs)} ms)`,
    );
  }
  console.log("targets: ≤ 20 ms added once the primary is known down; timeouts paid by ≤ 5 emails");
}

function printProfiles(): void {
  console.log("\n== CPU profiles (node --cpu-prof, 1 ms sampling): top 10 frames by self time inside the measured windows ==");
  for (const report of profileReports) console.log(formatTopFrames(report.title, summarizeProfiles(report.dir, report.windows)));
  console.log(`the whole profiles (Chrome DevTools → Performance → Load profile) are kept in: ${profileDirs.join(" ")}`);
}

function printAll(results: ModeResult[]): void {
  if (results.length > 0) print(results);
  if (analyticsFigures.length > 0) printAnalytics(analyticsFigures);
  if (profileReports.length > 0) printProfiles();
}

async function postgresAnswers(): Promise<boolean> {
  const client = new pg.Client({ connectionString: ADMIN_URL, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.end();
    return true;
  } catch {
    return false;
  }
}

async function main(): Promise<void> {
  if (!process.argv.includes("--no-build")) {
    console.log("building (next build)…");
    execFileSync(process.execPath, [path.resolve("node_modules/next/dist/bin/next"), "build"], { stdio: "ignore", env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" } });
  }
  const emulators = await startEmulators({ record: false });
  const results: ModeResult[] = [];
  const push = (r: ModeResult | null) => r && results.push(r);
  try {
    if (!ANALYTICS_ONLY && wanted("pglite")) {
      console.log("bench: PGlite…");
      push(await runMode("pglite", emulators));
    }
    if ((wanted("postgres") || wanted("postgres+worker")) && (await postgresAnswers())) {
      if (wanted("postgres") || ANALYTICS_ONLY) {
        console.log("bench: PostgreSQL…");
        push(await runMode("postgres", emulators));
      }
      if (!ANALYTICS_ONLY && wanted("postgres+worker")) {
        console.log("bench: PostgreSQL, web process + npm run worker…");
        push(await runMode("postgres+worker", emulators));
      }
    } else if (wanted("postgres") || wanted("postgres+worker")) {
      console.log("PostgreSQL not reachable at", ADMIN_URL, "— skipped");
    }
  } finally {
    await emulators.stop();
  }
  const twoInstances = TWO_INSTANCES && (await postgresAnswers()) ? (console.log("bench: two instances on one PostgreSQL…"), await benchTwoInstances()) : undefined;
  printAll(results);
  if (twoInstances) printTwoInstances(twoInstances);
}

await main();
process.exit(0);
