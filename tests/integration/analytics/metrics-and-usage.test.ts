/**
 * Analytics over data made by the real write path: emails sent through the API and the local engine to
 * the provider emulators on chosen UTC days (the process clock set to each day), failovers, a permanent
 * failure, a suppression, test-mode sends, then provider events recorded by the events recorder at chosen
 * times — across day boundaries (23:59:59.999 and 00:00:00.000), repeated events and a provider's
 * re-delivery. The answers of GET /analytics/metrics and /analytics/usage must equal a ledger kept by the
 * test from what the emails API reported and what it recorded, counting each email at most once per event
 * type on the day that event was first recorded.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { getDb } from "@/server/db";
import { recordProviderEvent } from "@/server/services/events/record-provider-event";
import type { ProviderEvent } from "@/server/services/events/event-types";
import type { ProviderName } from "@/server/providers/types";
import { api, signUp } from "../../helpers/api";
import { connect, emailBody, startSendingStack, waitForFinal, type SendingStack } from "../../helpers/sending";

const TYPES = ["sent", "delivered", "bounced", "complained", "opened", "clicked", "unsubscribed", "failed", "suppressed"] as const;
type Type = (typeof TYPES)[number];
type Counts = Record<Type, number>;
const zero = (): Counts => Object.fromEntries(TYPES.map((t) => [t, 0])) as Counts;

const DAY_MS = 86_400_000;
const today = new Date().toISOString().slice(0, 10);
const day = (offset: number) => new Date(Date.parse(`${today}T00:00:00Z`) + offset * DAY_MS).toISOString().slice(0, 10);

/** The test's own count: (mode, day, provider) → counts, each email counted once per type. */
class Ledger {
  readonly cells = new Map<string, Counts>();
  private readonly seen = new Set<string>();
  add(test: boolean, date: string, provider: string | null, emailId: string, type: Type): void {
    if (this.seen.has(`${emailId}|${type}`)) return;
    this.seen.add(`${emailId}|${type}`);
    const key = `${test}|${date}|${provider ?? ""}`;
    const cell = this.cells.get(key) ?? zero();
    cell[type] += 1;
    this.cells.set(key, cell);
  }
  day(test: boolean, date: string): Counts {
    const sum = zero();
    for (const [key, cell] of this.cells) if (key.startsWith(`${test}|${date}|`)) for (const t of TYPES) sum[t] += cell[t];
    return sum;
  }
  cell(test: boolean, date: string, provider: string): Counts {
    return this.cells.get(`${test}|${date}|${provider}`) ?? zero();
  }
}

let stack: SendingStack;
const ledger = new Ledger();
let live: Awaited<ReturnType<typeof signUp>>;
let testKey: string;
const connections: Partial<Record<ProviderName, string>> = {};
const sentEmails: { id: string; provider: ProviderName; to: string }[] = [];

/** Sends with the process clock at noon UTC of `date`, waits for the outcome and books it as the emails API reports it. */
async function sendOn(date: string, key: string, test: boolean, overrides: Record<string, unknown> = {}): Promise<any> {
  vi.setSystemTime(new Date(`${date}T12:00:00.000Z`));
  const res = await api.post("/api/v1/emails", emailBody(overrides), { token: key });
  expect(res.status).toBe(202);
  const done = await waitForFinal(key, res.body.id);
  // Booked under the provider its timeline names for that event (none for a suppression).
  const final = done.events.find((e: any) => e.event_type === done.status);
  ledger.add(test, date, final.provider ?? null, done.id, done.status);
  if (done.status === "sent" && !test) sentEmails.push({ id: done.id, provider: done.provider, to: done.to_email });
  return done;
}

let externalIds = 0;
/** A provider event through the events recorder, as a verified webhook would hand it over. */
async function event(email: { id: string; provider: ProviderName; to: string }, type: Exclude<Type, "sent" | "failed" | "suppressed">, at: string, extra: Partial<ProviderEvent> = {}) {
  const externalId = extra.externalId ?? `evt-${++externalIds}`;
  const outcome = await recordProviderEvent(
    { tenantId: live.tenantId, connectionId: connections[email.provider]!, provider: email.provider },
    { type, externalId, occurredAt: new Date(at), emailId: email.id, recipient: email.to, ...(type === "bounced" ? { bounceType: "hard" } : {}), ...extra },
  );
  if (outcome.outcome === "recorded") ledger.add(false, at.slice(0, 10), email.provider, email.id, type);
  return outcome;
}

beforeAll(async () => {
  stack = await startSendingStack();
  live = await signUp("Analytics");
  connections.sendgrid = await connect(live.apiKey, stack.emulators, "sendgrid", { priority: 1 });
  connections.postmark = await connect(live.apiKey, stack.emulators, "postmark", { priority: 2 });
  testKey = (await api.post("/api/v1/api_keys", { name: "sandbox", mode: "test" }, { token: live.token })).body.raw_key;
  await api.post("/api/v1/suppressions", { email: "blocked@example.com" }, { token: live.apiKey });

  vi.useFakeTimers({ toFake: ["Date"], shouldAdvanceTime: true });
  try {
    for (let i = 0; i < 4; i++) await sendOn(day(-3), live.apiKey, false);
    // SendGrid fails transiently for two sends: they fail over to Postmark.
    await stack.emulators.fail("sendgrid", "5xx", { times: 2 });
    for (let i = 0; i < 3; i++) await sendOn(day(-2), live.apiKey, false);
    await stack.emulators.heal();
    // A permanent refusal fails the email; a suppressed recipient is never sent.
    await stack.emulators.fail("sendgrid", "invalid_recipient", { times: 1 });
    expect((await sendOn(day(-1), live.apiKey, false)).status).toBe("failed");
    await stack.emulators.heal();
    expect((await sendOn(day(-1), live.apiKey, false, { to_email: "blocked@example.com" })).status).toBe("suppressed");
    await sendOn(day(-1), live.apiKey, false);
    for (let i = 0; i < 2; i++) await sendOn(day(-1), testKey, true);
    await sendOn(day(0), testKey, true);
    for (let i = 0; i < 2; i++) await sendOn(day(0), live.apiKey, false);
  } finally {
    vi.useRealTimers();
  }
  expect(new Set(sentEmails.map((e) => e.provider))).toEqual(new Set(["sendgrid", "postmark"]));

  const [a, b, c, d] = sentEmails;
  const viaPostmark = sentEmails.filter((e) => e.provider === "postmark");
  await event(a!, "delivered", `${day(-3)}T12:30:00.000Z`);
  // The day boundary: the last millisecond of one day and the first of the next.
  await event(a!, "opened", `${day(-2)}T23:59:59.999Z`);
  await event(a!, "opened", `${day(-1)}T00:00:00.000Z`); // opened again: not counted again
  await event(a!, "clicked", `${day(-1)}T00:00:00.000Z`);
  await event(b!, "delivered", `${day(-2)}T23:59:59.999Z`);
  await event(b!, "bounced", `${day(-1)}T08:00:00.000Z`); // a hard bounce after delivery still counts
  await event(c!, "delivered", `${day(-1)}T00:00:00.000Z`);
  await event(c!, "complained", `${day(-1)}T09:00:00.000Z`);
  await event(c!, "unsubscribed", `${day(0)}T00:00:00.000Z`);
  await event(d!, "bounced", `${day(-3)}T18:00:00.000Z`);
  for (const e of viaPostmark) await event(e, "delivered", `${day(-2)}T20:00:00.000Z`);
  await event(viaPostmark[0]!, "opened", `${day(0)}T00:00:00.001Z`);
  // A provider's re-delivery of an event it already sent is ignored.
  const again = await event(a!, "clicked", `${day(-1)}T00:00:00.000Z`, { externalId: "evt-4" });
  expect(again.outcome).toBe("duplicate");
}, 120_000);
afterAll(async () => stack?.stop());

function expectedRates(t: Counts) {
  const rate = (n: number, of: number) => (of > 0 ? Math.round((n / of) * 10_000) / 10_000 : 0);
  return { delivery_rate: rate(t.delivered, t.sent), bounce_rate: rate(t.bounced, t.sent), complaint_rate: rate(t.complained, t.delivered), open_rate: rate(t.opened, t.delivered), click_rate: rate(t.clicked, t.delivered) };
}

function expectedMetrics(test: boolean, days: number, period: string) {
  const daily = Array.from({ length: days }, (_, i) => ({ date: day(i - days + 1), ...ledger.day(test, day(i - days + 1)) }));
  const totals = zero();
  for (const d of daily) for (const t of TYPES) totals[t] += d[t];
  return { period, test, from: day(1 - days), to: today, totals, rates: expectedRates(totals), daily };
}

describe("GET /api/v1/analytics/metrics", () => {
  it("equals the test's own count over 7, 30 and 90 days, every day present", async () => {
    const week = await api.get("/api/v1/analytics/metrics?period=7d", { token: live.apiKey });
    expect(week.status).toBe(200);
    expect(week.body).toEqual(expectedMetrics(false, 7, "7d"));
    // The data is what the scenario made (so the ledger is not trivially zero).
    expect(week.body.totals).toEqual({ sent: 10, delivered: 5, bounced: 2, complained: 1, opened: 2, clicked: 1, unsubscribed: 1, failed: 1, suppressed: 1 });
    expect(week.body.daily.find((d: any) => d.date === day(-2))).toMatchObject({ opened: 1, delivered: 1 + 2 });
    expect(week.body.daily.find((d: any) => d.date === day(-1))).toMatchObject({ opened: 0, clicked: 1, delivered: 1 });
    expect((await api.get("/api/v1/analytics/metrics", { token: live.apiKey })).body).toEqual(week.body);
    expect((await api.get("/api/v1/analytics/metrics?period=30d", { token: live.apiKey })).body).toEqual(expectedMetrics(false, 30, "30d"));
    const quarter = await api.get("/api/v1/analytics/metrics?period=90d", { token: live.apiKey });
    expect(quarter.body).toEqual(expectedMetrics(false, 90, "90d"));
    expect(quarter.body.daily).toHaveLength(90);
  });

  it("counts test emails only with test=true, and only test emails for a test key", async () => {
    const expected = expectedMetrics(true, 7, "7d");
    expect(expected.totals.sent).toBe(3);
    expect((await api.get("/api/v1/analytics/metrics?test=true", { token: live.apiKey })).body).toEqual(expected);
    expect((await api.get("/api/v1/analytics/metrics", { token: testKey })).body).toEqual(expected);
    expect((await api.get("/api/v1/analytics/metrics?test=false", { token: testKey })).body).toEqual(expected);
  });

  it("shows another tenant nothing", async () => {
    const other = await signUp("Other");
    const res = await api.get("/api/v1/analytics/metrics?period=90d", { token: other.apiKey });
    expect(res.body.totals).toEqual(zero());
    expect(res.body.rates).toEqual({ delivery_rate: 0, bounce_rate: 0, complaint_rate: 0, open_rate: 0, click_rate: 0 });
    expect(res.body.daily.every((d: any) => TYPES.every((t) => d[t] === 0))).toBe(true);
  });

  it("refuses other periods with a 422", async () => {
    for (const period of ["1d", "7", "365d", "", "7D"]) {
      const res = await api.get(`/api/v1/analytics/metrics?period=${period}`, { token: live.apiKey });
      expect([res.status, res.body], period).toEqual([422, { errors: ["period must be one of: 7d, 30d, 90d"] }]);
    }
    expect((await api.get("/api/v1/analytics/metrics?test=yes", { token: live.apiKey })).body).toEqual({ errors: ["test must be true or false"] });
  });
});

describe("GET /api/v1/analytics/usage", () => {
  it("equals the test's own count per day and provider, connected providers and the no-provider row on every day", async () => {
    const res = await api.get(`/api/v1/analytics/usage?from=${day(-4)}&to=${day(0)}`, { token: live.apiKey });
    expect(res.status).toBe(200);
    const days = [];
    for (let i = -4; i <= 0; i++) {
      for (const provider of ["postmark", "sendgrid", ""]) {
        const c = ledger.cell(false, day(i), provider);
        days.push({ date: day(i), provider: provider || null, sent: c.sent, failed: c.failed, delivered: c.delivered, bounced: c.bounced });
      }
    }
    expect(res.body).toEqual({ from: day(-4), to: day(0), test: false, days });
    expect(res.body.days.reduce((n: number, d: any) => n + d.sent, 0)).toBe(10);
    // A day boundary holds per provider too.
    expect(res.body.days.find((d: any) => d.date === day(-2) && d.provider === sentEmails[1]!.provider).delivered).toBeGreaterThanOrEqual(1);
  });

  it("defaults to the last 30 days, lists connected providers without data, and reads test data for test keys", async () => {
    const res = await api.get("/api/v1/analytics/usage", { token: live.apiKey });
    expect([res.body.from, res.body.to]).toEqual([day(-29), today]);
    expect(res.body.days).toHaveLength(30 * 3);
    const connectedOnly = await signUp("Connected");
    await connect(connectedOnly.apiKey, stack.emulators, "resend");
    const empty = await api.get(`/api/v1/analytics/usage?from=${day(-1)}&to=${day(0)}`, { token: connectedOnly.apiKey });
    expect(empty.body.days).toEqual([
      { date: day(-1), provider: "resend", sent: 0, failed: 0, delivered: 0, bounced: 0 },
      { date: day(0), provider: "resend", sent: 0, failed: 0, delivered: 0, bounced: 0 },
    ]);
    const asTest = await api.get(`/api/v1/analytics/usage?from=${day(-1)}&to=${day(0)}`, { token: testKey });
    expect(asTest.body.test).toBe(true);
    expect(asTest.body.days.reduce((n: number, d: any) => n + d.sent, 0)).toBe(3);
  });

  it("refuses bad dates, reversed and over-long ranges with a 422", async () => {
    const cases: [string, string][] = [
      ["from=2026-02-30&to=2026-03-01", "from must be a date such as 2026-03-22"],
      ["from=2026-03-01&to=2026-3-2", "to must be a date such as 2026-03-22"],
      ["from=2026-03-01T00:00:00Z", "from must be a date such as 2026-03-22"],
      ["from=1969-12-31&to=1970-01-02", "from must be a date from 1970 on"],
      ["from=2026-03-02&to=2026-03-01", "from must be on or before to"],
      ["from=2025-01-01&to=2026-01-02", "the range from … to must be at most 366 days"],
      [`from=${day(1)}`, "from must be on or before to"],
    ];
    for (const [query, message] of cases) {
      const res = await api.get(`/api/v1/analytics/usage?${query}`, { token: live.apiKey });
      expect([res.status, res.body], query).toEqual([422, { errors: [message] }]);
    }
    const leapYear = await api.get("/api/v1/analytics/usage?from=2024-01-01&to=2024-12-31", { token: live.apiKey });
    expect(leapYear.status).toBe(200);
    expect(leapYear.body.days).toHaveLength(366 * 2);
  });
});

describe("the rollup behind it", () => {
  it("is all the answers read: with the tenant's emails gone, the metrics are unchanged", async () => {
    const before = await api.get("/api/v1/analytics/metrics?period=30d", { token: live.apiKey });
    const db = await getDb();
    expect(await db.emailDailyStat.count({ where: { tenantId: live.tenantId } })).toBeLessThanOrEqual(ledger.cells.size);
    await db.emailEvent.deleteMany({ where: { tenantId: live.tenantId } });
    await db.email.deleteMany({ where: { tenantId: live.tenantId } });
    expect((await api.get("/api/v1/analytics/metrics?period=30d", { token: live.apiKey })).body).toEqual(before.body);
  });
});
