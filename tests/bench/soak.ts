/**
 * npm run soak — not part of CI. `next start` (PGlite, or PostgreSQL with SOAK_DB=postgres) with the provider
 * emulators, fed a steady stream of sends for SOAK_MINUTES (10) at SOAK_RATE emails/s (default 20 on PGlite,
 * 40 on PostgreSQL: about half of what `npm run bench` (b) measures on this machine). Every 10 s the app's
 * processes report their RSS, heap and event-loop delay from inside (soak-probe.mjs, preloaded through
 * NODE_OPTIONS); the soak adds the window's send latency percentiles and the backlog (emails still queued).
 * Prints the curve, the RSS and heap slopes over the minutes after the first (warm-up), and the send p99 of
 * the first minute against the last. Asserts nothing: a growth trend or a drifting p99 is read, not enforced.
 * Flags: --no-build (use the existing .next build).
 */
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { startEmulators } from "../emulators";
import { countByStatus, http, startAppServer } from "./app-server";
import { benchDatabase } from "./database";

const DB = process.env.SOAK_DB === "postgres" ? "postgres" : "pglite";
const MINUTES = Number(process.env.SOAK_MINUTES ?? 10);
const RATE = Number(process.env.SOAK_RATE ?? (DB === "pglite" ? 20 : 40));
const SAMPLE_MS = Number(process.env.SOAK_SAMPLE_MS ?? 10_000);
const MAX_IN_FLIGHT = 200;

interface Send {
  at: number;
  ms: number;
  status: number;
}

interface ProbeLine {
  pid: number;
  at: number;
  rss_mb: number;
  heap_mb: number;
  eld_p50_ms: number;
  eld_p99_ms: number;
  eld_max_ms: number;
}

interface Window {
  t: number;
  sends: number;
  refused: number;
  p50: number;
  p99: number;
  backlog: number;
}

function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/** Least-squares slope of y over x. */
function slope(points: [number, number][]): number {
  const n = points.length;
  if (n < 2) return NaN;
  const mx = points.reduce((s, [x]) => s + x, 0) / n;
  const my = points.reduce((s, [, y]) => s + y, 0) / n;
  const num = points.reduce((s, [x, y]) => s + (x - mx) * (y - my), 0);
  const den = points.reduce((s, [x]) => s + (x - mx) ** 2, 0);
  return den === 0 ? NaN : num / den;
}

async function main(): Promise<void> {
  if (!process.argv.includes("--no-build") || !existsSync(".next/BUILD_ID")) {
    console.log("building (next build)…");
    execFileSync(process.execPath, [path.resolve("node_modules/next/dist/bin/next"), "build"], { stdio: "ignore", env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" } });
  }
  const probeFile = path.join(mkdtempSync(path.join(tmpdir(), "cx-soak-probe-")), "samples.jsonl");
  const db = await benchDatabase(DB, "soak");
  const emulators = await startEmulators({ record: false });
  const server = await startAppServer({
    ...db.env,
    RATE_LIMIT_PER_MINUTE: "100000000",
    LOG_LEVEL: "warn",
    NEXT_TELEMETRY_DISABLED: "1",
    NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ""} --import ${path.resolve("tests/bench/soak-probe.mjs")}`.trim(),
    SOAK_PROBE_FILE: probeFile,
    SOAK_SAMPLE_MS: String(SAMPLE_MS),
  });
  const windows: Window[] = [];
  let totalSent = 0;
  try {
    const email = `soak-${randomBytes(4).toString("hex")}@example.com`;
    const reg = await http(server.baseUrl, "POST", "/api/v1/auth/register", { name: "Soak", email, password: "soak-password-1", password_confirmation: "soak-password-1" });
    const apiKey: string = (await http(server.baseUrl, "POST", "/api/v1/api_keys", { name: "soak" }, reg.body.token)).body.raw_key;
    const sg = emulators.connection("sendgrid");
    await http(server.baseUrl, "POST", "/api/v1/provider_connections", { provider: "sendgrid", api_key: sg.credentials.apiKey, endpoint: sg.settings.endpoint }, apiKey);
    console.log(`soak: ${DB}, ${RATE} emails/s for ${MINUTES} min, samples every ${SAMPLE_MS / 1000} s`);

    const sends: Send[] = [];
    let inFlight = 0;
    let i = 0;
    const started = Date.now();
    const end = started + MINUTES * 60_000;
    const fire = async () => {
      inFlight += 1;
      const at = Date.now();
      const body = { from_email: "hello@yourapp.com", to_email: `soak${i++}@example.com`, subject: "Soak", text_body: "Steady as she goes." };
      try {
        const res = await http(server.baseUrl, "POST", "/api/v1/emails", body, apiKey);
        sends.push({ at, ms: Date.now() - at, status: res.status });
      } catch {
        sends.push({ at, ms: Date.now() - at, status: 0 });
      } finally {
        inFlight -= 1;
      }
    };
    let nextWindow = started + SAMPLE_MS;
    let scheduled = 0;
    while (Date.now() < end) {
      // Paced against the clock: a slow answer delays no later send (up to MAX_IN_FLIGHT at once).
      const due = Math.floor(((Date.now() - started) / 1000) * RATE);
      while (scheduled < due && inFlight < MAX_IN_FLIGHT) {
        scheduled += 1;
        void fire();
      }
      if (Date.now() >= nextWindow) {
        const inWindow = sends.filter((s) => s.at >= nextWindow - SAMPLE_MS && s.at < nextWindow);
        const backlog = await countByStatus(server.baseUrl, apiKey, "queued");
        windows.push({
          t: Math.round((nextWindow - started) / 1000),
          sends: inWindow.length,
          refused: inWindow.filter((s) => s.status !== 202).length,
          p50: percentile(inWindow.map((s) => s.ms), 50),
          p99: percentile(inWindow.map((s) => s.ms), 99),
          backlog,
        });
        nextWindow += SAMPLE_MS;
      }
      await new Promise((r) => setTimeout(r, 5));
    }
    while (inFlight > 0) await new Promise((r) => setTimeout(r, 20));
    const drainDeadline = Date.now() + 120_000;
    let queued = Infinity;
    while (Date.now() < drainDeadline) {
      queued = await countByStatus(server.baseUrl, apiKey, "queued");
      if (queued === 0) break;
      await new Promise((r) => setTimeout(r, 500));
    }
    totalSent = await countByStatus(server.baseUrl, apiKey, "sent");
    console.log(`accepted ${sends.filter((s) => s.status === 202).length} of ${sends.length} sends; ${totalSent} sent, ${queued} still queued after the drain`);
  } finally {
    await server.stop();
    await emulators.stop();
    await db.drop();
  }
  report(windows, readProbe(probeFile));
}

function readProbe(file: string): ProbeLine[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, "utf8")
    .split("\n")
    .filter(Boolean)
    .map((line) => JSON.parse(line) as ProbeLine);
}

function report(windows: Window[], probe: ProbeLine[]): void {
  // The process that served the requests: the one with the most memory (a launcher stays small).
  const byPid = new Map<number, ProbeLine[]>();
  for (const line of probe) byPid.set(line.pid, [...(byPid.get(line.pid) ?? []), line]);
  const [pid, samples] = [...byPid.entries()].sort((a, b) => Math.max(...b[1].map((l) => l.rss_mb)) - Math.max(...a[1].map((l) => l.rss_mb)))[0] ?? [0, []];
  const t0 = Math.min(...samples.map((s) => s.at));
  const f = (x: number, d = 0) => (Number.isFinite(x) ? x.toFixed(d) : "—");
  console.log(`\n== soak curve (server pid ${pid}; ${byPid.size} process(es) reported) ==`);
  console.log("   t s | sends  refused  send p50  p99 ms | backlog |  rss MB  heap MB | loop delay p99  max ms");
  const rows = Math.max(windows.length, samples.length);
  for (let k = 0; k < rows; k++) {
    const w = windows[k];
    const s = samples[k];
    console.log(
      `${String(w?.t ?? (s ? Math.round((s.at - t0) / 1000) : "")).padStart(6)} | ${String(w?.sends ?? "").padStart(5)} ${String(w?.refused ?? "").padStart(8)} ${f(w?.p50 ?? NaN).padStart(9)} ${f(w?.p99 ?? NaN).padStart(5)} | ${String(w?.backlog ?? "").padStart(7)} | ${f(s?.rss_mb ?? NaN, 1).padStart(7)} ${f(s?.heap_mb ?? NaN, 1).padStart(8)} | ${f(s?.eld_p99_ms ?? NaN, 1).padStart(14)} ${f(s?.eld_max_ms ?? NaN, 1).padStart(6)}`,
    );
  }
  // Slopes over the minutes after the first (warm-up: JIT, caches, pools filling).
  const settled = samples.filter((s) => s.at - t0 >= 60_000);
  const rssSlope = slope(settled.map((s) => [(s.at - t0) / 60_000, s.rss_mb]));
  const heapSlope = slope(settled.map((s) => [(s.at - t0) / 60_000, s.heap_mb]));
  const first = windows.filter((w) => w.t <= 60);
  const last = windows.filter((w) => w.t > (windows.at(-1)?.t ?? 0) - 60);
  const maxP99 = (ws: Window[]) => Math.max(...ws.map((w) => w.p99).filter(Number.isFinite));
  console.log(`\nRSS slope ${f(rssSlope, 2)} MB/min, heap slope ${f(heapSlope, 2)} MB/min (samples after the first minute: ${settled.length})`);
  console.log(`send p99: first minute ${f(maxP99(first))} ms, last minute ${f(maxP99(last))} ms (worst 10 s window of each)`);
  console.log(`loop delay p99: first minute ${f(Math.max(...samples.filter((s) => s.at - t0 < 60_000).map((s) => s.eld_p99_ms)), 1)} ms, last minute ${f(Math.max(...samples.slice(-6).map((s) => s.eld_p99_ms)), 1)} ms`);
}

await main();
process.exit(0);
