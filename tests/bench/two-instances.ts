/**
 * Issue 17 item 4, as a bench section (`npm run bench -- --two-instances`, or this file alone): two
 * `next start` processes, each with its local engine, on one PostgreSQL database.
 *  - A burst of TWO_INSTANCES_EMAILS (3,000) sends, alternating between the instances: every email final,
 *    none sent twice (the emulators' requests counted per email id), and both engines seen holding runs
 *    (the run queue's lease owners sampled during the burst) — shared, without double execution.
 *  - One key's rate limit across both: RATE_LIMIT_PER_MINUTE (600) plus 300 more requests fired at both
 *    instances at once within the minute; accepted ≤ the limit (overshoot printed).
 *  - Circuit state shared: the primary fails through instance A until its circuit opens; the next send
 *    through instance B skips it without calling it.
 * Prints figures; asserts nothing.
 */
import { randomBytes } from "node:crypto";
import pg from "pg";
import { connectionBody } from "../helpers/connections";
import { startEmulators, type Emulators } from "../emulators";
import { countByStatus, http, inParallel, startAppServer, type AppServer } from "./app-server";
import { ADMIN_URL, benchDatabase } from "./database";

const EMAILS = Number(process.env.TWO_INSTANCES_EMAILS ?? 3000);
const LIMIT = 600;
const KEYS = Math.ceil(EMAILS / (LIMIT * 0.9));

export interface TwoInstanceFigures {
  emails: number;
  seconds: number;
  sent: number;
  notFinal: number;
  duplicates: number;
  providerRequests: number;
  workersSeen: string[];
  rateLimit: { limit: number; fired: number; accepted: number; limited: number; overshoot: number };
  circuit: { openedByA: boolean; skippedByB: boolean; primaryCallsFromB: number };
}

async function register(server: AppServer): Promise<string> {
  const email = `two-${randomBytes(4).toString("hex")}@example.com`;
  const reg = await http(server.baseUrl, "POST", "/api/v1/auth/register", { name: "Two instances", email, password: "bench-password-1", password_confirmation: "bench-password-1" });
  return reg.body.token as string;
}

async function key(server: AppServer, token: string, name: string): Promise<string> {
  return (await http(server.baseUrl, "POST", "/api/v1/api_keys", { name }, token)).body.raw_key as string;
}

/** Email ids the providers were asked to send, from the emulators' records (SendGrid custom_args, Postmark Metadata). */
function providerEmailIds(emulators: Emulators): string[] {
  const ids: string[] = [];
  for (const r of emulators.http.requests("sendgrid")) {
    const body = r.json as { custom_args?: Record<string, string>; personalizations?: { custom_args?: Record<string, string> }[] } | undefined;
    const id = body?.custom_args?.courierx_email_id ?? body?.personalizations?.[0]?.custom_args?.courierx_email_id;
    if (r.method === "POST" && r.path.endsWith("/mail/send") && id) ids.push(id);
  }
  for (const r of emulators.http.requests("postmark")) {
    const id = (r.json as { Metadata?: Record<string, string> } | undefined)?.Metadata?.courierx_email_id;
    if (r.method === "POST" && r.path === "/email" && id) ids.push(id);
  }
  return ids;
}

export async function benchTwoInstances(): Promise<TwoInstanceFigures> {
  const db = await benchDatabase("postgres", "two");
  const emulators = await startEmulators();
  const common = { ...db.env, RATE_LIMIT_PER_MINUTE: String(LIMIT), LOG_LEVEL: "warn", NEXT_TELEMETRY_DISABLED: "1", PROVIDER_TIMEOUT_MS: "2000", CIRCUIT_FAILURE_THRESHOLD: "3", CIRCUIT_COOLDOWN_MS: "600000" };
  const [a, b] = await Promise.all([startAppServer(common), startAppServer(common)]);
  const watcher = new pg.Client({ connectionString: db.env.DATABASE_URL });
  await watcher.connect();
  try {
    const token = await register(a);
    for (const [provider, priority] of [["sendgrid", 1], ["postmark", 2]] as const) {
      const res = await http(a.baseUrl, "POST", "/api/v1/provider_connections", connectionBody(emulators, provider, { priority }), token);
      if (res.status !== 201) throw new Error(`connect ${provider}: ${res.status} ${JSON.stringify(res.body)}`);
    }
    // Enough keys that the burst stays inside every key's per-minute limit.
    const keys = await Promise.all(Array.from({ length: KEYS }, (_, i) => key(a, token, `burst ${i}`)));
    await emulators.reset();

    // The run queue's holders, sampled while the burst runs.
    const workers = new Set<string>();
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        const rows = await watcher.query(`SELECT DISTINCT split_part("leaseOwner", '#', 1) AS w FROM "JobRun" WHERE status = 'running' AND "leaseOwner" IS NOT NULL`);
        for (const row of rows.rows as { w: string }[]) workers.add(row.w);
        await new Promise((r) => setTimeout(r, 50));
      }
    })();

    const started = performance.now();
    await inParallel(EMAILS, 50, async (i) => {
      const server = i % 2 === 0 ? a : b;
      const res = await http(server.baseUrl, "POST", "/api/v1/emails", { from_email: "hello@yourapp.com", to_email: `two${i}@example.com`, subject: "Two instances", text_body: "x" }, keys[i % KEYS]);
      if (res.status !== 202) throw new Error(`send ${i}: ${res.status} ${JSON.stringify(res.body)}`);
    });
    const probeKey = keys[0]!;
    const deadline = Date.now() + 600_000;
    while ((await countByStatus(a.baseUrl, probeKey, "queued")) > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    const seconds = (performance.now() - started) / 1000;
    sampling = false;
    await sampler;
    const { rows: statuses } = await watcher.query(`SELECT status::text AS status, count(*)::int AS n FROM "Email" GROUP BY 1`);
    const byStatus = Object.fromEntries((statuses as { status: string; n: number }[]).map((r) => [r.status, r.n]));
    const ids = providerEmailIds(emulators);
    const perEmail = new Map<string, number>();
    for (const id of ids) perEmail.set(id, (perEmail.get(id) ?? 0) + 1);

    // One key, both instances, more requests than the limit at once.
    const limited = await key(b, token, "rate limit");
    const fired = LIMIT + 300;
    const answers = await Promise.all(
      Array.from({ length: fired }, (_, i) => http(i % 2 === 0 ? a.baseUrl : b.baseUrl, "GET", "/api/v1/auth/me", undefined, limited).then((r) => r.status)),
    );
    const accepted = answers.filter((s) => s === 200).length;

    // Circuit: three transient failures of the primary through A open it; B's next send skips it.
    const circuitKey = await key(a, token, "circuit");
    await emulators.fail("sendgrid", "5xx", { times: Infinity });
    for (let i = 0; i < 3; i++) {
      const res = await http(a.baseUrl, "POST", "/api/v1/emails", { from_email: "hello@yourapp.com", to_email: `circuit${i}@example.com`, subject: "Circuit", text_body: "x" }, circuitKey);
      for (let t = 0; t < 100 && (await http(a.baseUrl, "GET", `/api/v1/emails/${res.body.id}`, undefined, circuitKey)).body.status === "queued"; t++) await new Promise((r) => setTimeout(r, 100));
    }
    const connections = (await http(a.baseUrl, "GET", "/api/v1/provider_connections", undefined, circuitKey)).body as { provider: string; health: { state: string } }[];
    const openedByA = connections.find((c) => c.provider === "sendgrid")?.health.state === "open";
    const callsBefore = emulators.http.requests("sendgrid").length;
    const viaB = await http(b.baseUrl, "POST", "/api/v1/emails", { from_email: "hello@yourapp.com", to_email: "circuit-b@example.com", subject: "Circuit", text_body: "x" }, circuitKey);
    let detail = (await http(b.baseUrl, "GET", `/api/v1/emails/${viaB.body.id}`, undefined, circuitKey)).body;
    for (let t = 0; t < 100 && detail.status === "queued"; t++) {
      await new Promise((r) => setTimeout(r, 100));
      detail = (await http(b.baseUrl, "GET", `/api/v1/emails/${viaB.body.id}`, undefined, circuitKey)).body;
    }
    const skippedByB = (detail.events as { event_type: string; provider: string | null }[]).some((e) => e.event_type === "skipped" && e.provider === "sendgrid");
    await emulators.heal();

    return {
      emails: EMAILS,
      seconds,
      sent: byStatus.sent ?? 0,
      notFinal: byStatus.queued ?? 0,
      duplicates: [...perEmail.values()].filter((n) => n > 1).length,
      providerRequests: ids.length,
      workersSeen: [...workers],
      rateLimit: { limit: LIMIT, fired, accepted, limited: answers.filter((s) => s === 429).length, overshoot: Math.max(0, accepted - LIMIT) },
      circuit: { openedByA, skippedByB, primaryCallsFromB: emulators.http.requests("sendgrid").length - callsBefore },
    };
  } finally {
    await watcher.end();
    await Promise.all([a.stop(), b.stop()]);
    await emulators.stop();
    await db.drop();
  }
}

export function printTwoInstances(x: TwoInstanceFigures): void {
  console.log("\n== (e) two next start instances, each with its local engine, on one PostgreSQL ==");
  console.log(`burst: ${x.emails} emails alternating between the instances, final in ${x.seconds.toFixed(1)} s (${(x.emails / x.seconds).toFixed(1)} emails/s): sent ${x.sent}, not final ${x.notFinal}`);
  console.log(`provider requests ${x.providerRequests}, emails sent more than once: ${x.duplicates}`);
  console.log(`engines seen holding runs during the burst: ${x.workersSeen.length} (${x.workersSeen.join(", ")})`);
  console.log(`rate limit of one key across both: limit ${x.rateLimit.limit}/min, fired ${x.rateLimit.fired} at once, accepted ${x.rateLimit.accepted}, 429 ${x.rateLimit.limited}, overshoot ${x.rateLimit.overshoot}`);
  console.log(`circuit: opened by failures through A: ${x.circuit.openedByA}; B's next send skipped the primary: ${x.circuit.skippedByB} (primary calls from B: ${x.circuit.primaryCallsFromB})`);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const probe = new pg.Client({ connectionString: ADMIN_URL, connectionTimeoutMillis: 2000 });
  const reachable = await probe.connect().then(
    () => probe.end().then(() => true),
    () => false,
  );
  if (!reachable) {
    console.log("PostgreSQL not reachable at", ADMIN_URL, "— the two-instance section needs it");
    process.exit(0);
  }
  printTwoInstances(await benchTwoInstances());
  process.exit(0);
}
