/**
 * (d) GET /api/v1/analytics/metrics?period=90d for a tenant with 1,000,000 emails, on PostgreSQL through
 * the real HTTP route. Generated with one INSERT … SELECT generate_series per table: the tenant's rollup
 * (100 days × 6 providers × both modes, about a million live sends in the last 90 days), 1,000,000 Email rows of that
 * tenant (final statuses, so no sweep picks them up: they are there to show the metrics never read them),
 * and 2,000 other tenants with 100 days × 3 providers of rollup each, so the index holds 600,000 rows of
 * other tenants around this one's.
 */
import pg from "pg";
import { http } from "./app-server";

export interface AnalyticsFigures {
  emails: number;
  rollupRows: number;
  tenantRollupRows: number;
  liveSent: number;
  seedSeconds: number;
  requests: number;
  medianMs: number;
  p95Ms: number;
  maxMs: number;
}

const REQUESTS = 50;
const EMAILS = 1_000_000;
const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;

export async function benchAnalytics(baseUrl: string, databaseUrl: string): Promise<AnalyticsFigures> {
  const email = `analytics-${Date.now()}@example.com`;
  const reg = await http(baseUrl, "POST", "/api/v1/auth/register", { name: "Analytics bench", email, password: "bench-password-1", password_confirmation: "bench-password-1" });
  const key = await http(baseUrl, "POST", "/api/v1/api_keys", { name: "analytics" }, reg.body.token);
  const tenantId: string = reg.body.account.id;
  const apiKey: string = key.body.raw_key;

  const db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  const started = performance.now();
  try {
    await db.query(
      `INSERT INTO "EmailDailyStat" ("tenantId", "test", "day", "provider", "sent", "delivered", "bounced", "complained", "opened", "clicked", "unsubscribed", "failed", "suppressed")
       SELECT $1::uuid, m.test, d::date, p.provider, s.n, s.n * 95 / 100, s.n * 3 / 100, s.n / 1000, s.n * 40 / 100, s.n * 8 / 100, s.n / 500, s.n / 100, s.n / 200
       FROM generate_series(current_date - 99, current_date, interval '1 day') AS d
       CROSS JOIN unnest(ARRAY['sendgrid', 'aws_ses', 'mailgun', 'postmark', 'resend', '']) AS p(provider)
       CROSS JOIN (VALUES (false), (true)) AS m(test)
       CROSS JOIN LATERAL (SELECT CASE WHEN p.provider = '' THEN 0 WHEN m.test THEN 20 ELSE 1722 + (abs(hashtext(d::text || p.provider)) % 1001) END AS n) AS s`,
      [tenantId],
    );
    await db.query(
      `WITH t AS (
         INSERT INTO "Tenant" ("id", "name", "updatedAt") SELECT gen_random_uuid(), 'noise ' || i, now() FROM generate_series(1, 2000) AS i RETURNING "id"
       )
       INSERT INTO "EmailDailyStat" ("tenantId", "test", "day", "provider", "sent", "delivered")
       SELECT t."id", false, d::date, p.provider, 100, 95
       FROM t CROSS JOIN generate_series(current_date - 99, current_date, interval '1 day') AS d
       CROSS JOIN unnest(ARRAY['sendgrid', 'postmark', 'resend']) AS p(provider)`,
    );
    await db.query(
      `INSERT INTO "Email" ("id", "tenantId", "test", "fromEmail", "toEmail", "subject", "textBody", "tags", "status", "provider", "queuedAt", "sentAt", "createdAt", "updatedAt")
       SELECT gen_random_uuid(), $1::uuid, false, 'hello@yourapp.com', 'user' || i || '@example.com', 'Welcome', 'Hello', '{}',
         (ARRAY['sent', 'delivered', 'delivered', 'bounced', 'failed']::"EmailStatus"[])[1 + i % 5],
         (ARRAY['sendgrid', 'aws_ses', 'mailgun', 'postmark', 'resend']::"ProviderName"[])[1 + i % 5], ts, ts, ts, ts
       FROM generate_series(1, ${EMAILS}) AS i
       CROSS JOIN LATERAL (SELECT (now() AT TIME ZONE 'UTC') - i * interval '7 seconds' AS ts) AS x`,
      [tenantId],
    );
    await db.query(`ANALYZE "EmailDailyStat"; ANALYZE "Email"`);
    const seedSeconds = (performance.now() - started) / 1000;
    const counts = await db.query(
      `SELECT (SELECT count(*) FROM "Email" WHERE "tenantId" = $1::uuid)::int AS emails, (SELECT count(*) FROM "EmailDailyStat")::int AS rollup,
         (SELECT count(*) FROM "EmailDailyStat" WHERE "tenantId" = $1::uuid)::int AS tenant_rollup,
         (SELECT sum("sent") FROM "EmailDailyStat" WHERE "tenantId" = $1::uuid AND NOT "test" AND "day" > current_date - 90)::int AS live_sent`,
      [tenantId],
    );

    const url = `${baseUrl}/api/v1/analytics/metrics?period=90d`;
    const headers = { authorization: `Bearer ${apiKey}` };
    for (let i = 0; i < 5; i++) await (await fetch(url, { headers })).text();
    const times: number[] = [];
    for (let i = 0; i < REQUESTS; i++) {
      const t0 = performance.now();
      const res = await fetch(url, { headers });
      const body = (await res.json()) as { daily?: unknown[] };
      times.push(performance.now() - t0);
      if (res.status !== 200 || body.daily?.length !== 90) throw new Error(`analytics bench: ${res.status} ${JSON.stringify(body).slice(0, 200)}`);
    }
    times.sort((a, b) => a - b);
    const row = counts.rows[0] as { emails: number; rollup: number; tenant_rollup: number; live_sent: number };
    return {
      emails: row.emails,
      rollupRows: row.rollup,
      tenantRollupRows: row.tenant_rollup,
      liveSent: row.live_sent,
      seedSeconds,
      requests: REQUESTS,
      medianMs: percentile(times, 50),
      p95Ms: percentile(times, 95),
      maxMs: times[times.length - 1]!,
    };
  } finally {
    await db.end();
  }
}

export function printAnalytics(figures: AnalyticsFigures[]): void {
  console.log("\n== (d) GET /api/v1/analytics/metrics?period=90d, a tenant with 1,000,000 emails (PostgreSQL, real HTTP route) ==");
  for (const f of figures) {
    console.log(
      `${f.emails.toLocaleString("en")} Email rows of the tenant, ${f.tenantRollupRows} rollup rows of it among ${f.rollupRows.toLocaleString("en")}, ${f.liveSent.toLocaleString("en")} live sends in the 90 days (generated in ${f.seedSeconds.toFixed(1)} s)`,
    );
    console.log(`median ${f.medianMs.toFixed(1)} ms, p95 ${f.p95Ms.toFixed(1)} ms, max ${f.maxMs.toFixed(1)} ms over ${f.requests} requests   target < 300 ms: ${f.p95Ms < 300 ? "met" : "missed"}`);
  }
}
