/**
 * The event recorder behind provider webhooks and the test-mode sandbox: status moves, automatic
 * suppressions across providers, once-only recording, per-email sequence numbers, the analytics rollup
 * and the outgoing-webhook outbox — on the real sending stack (engine, emulators, database).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/server/db";
import type { ProviderEvent } from "@/server/services/events/event-types";
import { recordProviderEvent } from "@/server/services/events/record-provider-event";
import { generateWebhookSecret, sealWebhookSecret } from "@/server/services/webhooks/webhook-secret";
import { uuidv7 } from "@/server/lib/ids";
import { api, signUp } from "../../helpers/api";
import { eventually } from "../../helpers/engine";
import { connect, emailBody, startSendingStack, waitForFinal, type SendingStack } from "../../helpers/sending";

let stack: SendingStack;
beforeAll(async () => {
  stack = await startSendingStack();
});
afterAll(async () => stack.stop());

let n = 0;
function event(type: ProviderEvent["type"], extra: Partial<ProviderEvent> = {}): ProviderEvent {
  return { type, externalId: `evt-${++n}-${Date.now()}`, occurredAt: new Date(), ...extra };
}

async function sentEmail(apiKey: string, to?: string) {
  const res = await api.post("/api/v1/emails", emailBody(to ? { to_email: to } : {}), { token: apiKey });
  expect(res.status).toBe(202);
  const done = await waitForFinal(apiKey, res.body.id);
  expect(done.status).toBe("sent");
  return done;
}

const sends = (provider: "sendgrid" | "aws_ses") => stack.emulators.http.requests(provider).filter((r) => r.method === "POST");

describe("provider events on an email", () => {
  it("moves sent → delivered, then a hard bounce still moves it to bounced; a late delivered does not move it back", async () => {
    const { apiKey, tenantId } = await signUp();
    const connectionId = await connect(apiKey, stack.emulators, "sendgrid");
    const email = await sentEmail(apiKey);
    const source = { tenantId, connectionId, provider: "sendgrid" as const };

    expect(await recordProviderEvent(source, event("delivered", { emailId: email.id }))).toMatchObject({ outcome: "recorded" });
    let detail = (await api.get(`/api/v1/emails/${email.id}`, { token: apiKey })).body;
    expect(detail.status).toBe("delivered");
    expect(detail.delivered_at).not.toBeNull();

    await recordProviderEvent(source, event("bounced", { emailId: email.id, bounceType: "hard", diagnostic: "550 5.1.1 user unknown" }));
    await recordProviderEvent(source, event("delivered", { emailId: email.id }));
    detail = (await api.get(`/api/v1/emails/${email.id}`, { token: apiKey })).body;
    expect(detail.status).toBe("bounced");
    expect(detail.last_error).toBe("550 5.1.1 user unknown");
    const types = detail.events.map((e: { event_type: string }) => e.event_type);
    expect(types.filter((t: string) => t === "delivered")).toHaveLength(2);
    expect(detail.events.find((e: { event_type: string }) => e.event_type === "bounced")).toMatchObject({ provider: "sendgrid", bounce_type: "hard", diagnostic: "550 5.1.1 user unknown", connection_id: connectionId });
  });

  it("a soft bounce does not move a delivered email and suppresses nobody", async () => {
    const { apiKey, tenantId } = await signUp();
    const connectionId = await connect(apiKey, stack.emulators, "sendgrid");
    const email = await sentEmail(apiKey);
    const source = { tenantId, connectionId, provider: "sendgrid" as const };
    await recordProviderEvent(source, event("delivered", { emailId: email.id }));
    await recordProviderEvent(source, event("bounced", { emailId: email.id, bounceType: "soft", diagnostic: "452 mailbox full" }));
    const detail = (await api.get(`/api/v1/emails/${email.id}`, { token: apiKey })).body;
    expect(detail.status).toBe("delivered");
    expect((await api.get("/api/v1/suppressions", { token: apiKey })).body).toEqual([]);
  });

  it("a soft bounce on a sent email is on the timeline only: still sent, not counted, nobody suppressed; a hard one then counts", async () => {
    const { apiKey, tenantId } = await signUp();
    const connectionId = await connect(apiKey, stack.emulators, "sendgrid");
    const email = await sentEmail(apiKey);
    const source = { tenantId, connectionId, provider: "sendgrid" as const };
    await recordProviderEvent(source, event("bounced", { emailId: email.id, bounceType: "soft", diagnostic: "452 4.2.2 mailbox full" }));
    let detail = (await api.get(`/api/v1/emails/${email.id}`, { token: apiKey })).body;
    expect(detail.status).toBe("sent");
    expect(detail.events.find((e: { event_type: string }) => e.event_type === "bounced")).toMatchObject({ bounce_type: "soft", sequence: 2 });
    expect((await api.get("/api/v1/suppressions", { token: apiKey })).body).toEqual([]);
    const db = await getDb();
    expect((await db.emailDailyStat.findFirstOrThrow({ where: { tenantId } })).bounced).toBe(0);

    await recordProviderEvent(source, event("bounced", { emailId: email.id, bounceType: "hard", diagnostic: "550 5.1.1 gone" }));
    detail = (await api.get(`/api/v1/emails/${email.id}`, { token: apiKey })).body;
    expect(detail.status).toBe("bounced");
    expect((await db.emailDailyStat.findFirstOrThrow({ where: { tenantId } })).bounced).toBe(1);
  });

  it("stores text a recipient controls whatever it holds: an emoji at the cut, NUL, lone surrogates", async () => {
    const { apiKey, tenantId } = await signUp();
    const connectionId = await connect(apiKey, stack.emulators, "sendgrid");
    const email = await sentEmail(apiKey);
    const source = { tenantId, connectionId, provider: "sendgrid" as const };
    const outcome = await recordProviderEvent(source, event("opened", { emailId: email.id, userAgent: `${"a".repeat(511)}😀😀`, ip: "1\u0000.2", url: "x\ud800y" }));
    expect(outcome.outcome).toBe("recorded");
    const bounce = await recordProviderEvent(source, event("bounced", { emailId: email.id, bounceType: "hard", diagnostic: `${"d".repeat(999)}😀 and more`, recipient: "\udc00x@example.com" }));
    expect(bounce.outcome).toBe("recorded");
    const detail = (await api.get(`/api/v1/emails/${email.id}`, { token: apiKey })).body;
    const opened = detail.events.find((e: { event_type: string }) => e.event_type === "opened");
    expect(Array.from(opened.user_agent as string)).toHaveLength(512);
    expect(opened.user_agent.endsWith("😀")).toBe(true);
    expect(detail.last_error).toBe(`${"d".repeat(999)}😀`);
  });

  it("records a provider's re-delivery of the same event once, also when both arrive at the same time", async () => {
    const { apiKey, tenantId } = await signUp();
    const connectionId = await connect(apiKey, stack.emulators, "sendgrid");
    const email = await sentEmail(apiKey);
    const source = { tenantId, connectionId, provider: "sendgrid" as const };
    const opened = event("opened", { emailId: email.id });
    const outcomes = await Promise.all(Array.from({ length: 5 }, () => recordProviderEvent(source, opened)));
    expect(outcomes.filter((o) => o.outcome === "recorded")).toHaveLength(1);
    expect(outcomes.filter((o) => o.outcome === "duplicate")).toHaveLength(4);
    expect(await recordProviderEvent(source, opened)).toEqual({ outcome: "duplicate", emailId: email.id });
    const detail = (await api.get(`/api/v1/emails/${email.id}`, { token: apiKey })).body;
    expect(detail.events.filter((e: { event_type: string }) => e.event_type === "opened")).toHaveLength(1);
  });

  it("matches by the provider message id when our id is absent or foreign, never across tenants", async () => {
    const a = await signUp();
    const b = await signUp();
    const connA = await connect(a.apiKey, stack.emulators, "sendgrid");
    const connB = await connect(b.apiKey, stack.emulators, "sendgrid");
    const emailA = await sentEmail(a.apiKey);
    const emailB = await sentEmail(b.apiKey);

    const byMessageId = await recordProviderEvent({ tenantId: a.tenantId, connectionId: connA, provider: "sendgrid" }, event("delivered", { providerMessageId: emailA.provider_message_id }));
    expect(byMessageId).toMatchObject({ outcome: "recorded", emailId: emailA.id });

    // Tenant B's signed webhook naming tenant A's email id (or message id) reaches nothing of A's.
    const forged = await recordProviderEvent({ tenantId: b.tenantId, connectionId: connB, provider: "sendgrid" }, event("bounced", { emailId: emailA.id, bounceType: "hard" }));
    expect(forged).toEqual({ outcome: "unknown_email" });
    const forgedByMessage = await recordProviderEvent({ tenantId: b.tenantId, connectionId: connB, provider: "sendgrid" }, event("bounced", { providerMessageId: emailA.provider_message_id, bounceType: "hard" }));
    expect(forgedByMessage).toEqual({ outcome: "unknown_email" });
    expect((await api.get(`/api/v1/emails/${emailA.id}`, { token: a.apiKey })).body.status).toBe("delivered");
    expect((await api.get("/api/v1/suppressions", { token: a.apiKey })).body).toEqual([]);
    expect((await api.get("/api/v1/suppressions", { token: b.apiKey })).body).toEqual([]);

    // A foreign or malformed id falls back to the message id of this tenant's own email.
    const fallback = await recordProviderEvent({ tenantId: b.tenantId, connectionId: connB, provider: "sendgrid" }, event("opened", { emailId: "not-a-uuid", providerMessageId: emailB.provider_message_id }));
    expect(fallback).toMatchObject({ outcome: "recorded", emailId: emailB.id });
  });

  it("places an event the provider's clock puts before the send at the send's time, so the timeline keeps cause before effect", async () => {
    const { apiKey, tenantId } = await signUp();
    const connectionId = await connect(apiKey, stack.emulators, "sendgrid");
    const email = await sentEmail(apiKey);
    const sentAt = new Date(email.sent_at);
    await recordProviderEvent({ tenantId, connectionId, provider: "sendgrid" }, event("delivered", { emailId: email.id, occurredAt: new Date(sentAt.getTime() - 1500) }));
    const later = new Date(sentAt.getTime() + 60_000);
    await recordProviderEvent({ tenantId, connectionId, provider: "sendgrid" }, event("opened", { emailId: email.id, occurredAt: later }));
    const detail = (await api.get(`/api/v1/emails/${email.id}`, { token: apiKey })).body;
    const types = detail.events.map((e: { event_type: string }) => e.event_type);
    expect(types.indexOf("sent")).toBeLessThan(types.indexOf("delivered"));
    expect(detail.events.find((e: { event_type: string }) => e.event_type === "delivered").occurred_at).toBe(sentAt.toISOString());
    expect(detail.events.find((e: { event_type: string }) => e.event_type === "opened").occurred_at).toBe(later.toISOString());
  });

  it("drops events for unknown emails without writing anything", async () => {
    const { apiKey, tenantId } = await signUp();
    const connectionId = await connect(apiKey, stack.emulators, "sendgrid");
    const db = await getDb();
    const before = await db.emailEvent.count({ where: { tenantId } });
    const outcome = await recordProviderEvent({ tenantId, connectionId, provider: "sendgrid" }, event("bounced", { emailId: "0190a5b4-0000-7000-8000-000000000000", bounceType: "hard", recipient: "x@example.com" }));
    expect(outcome).toEqual({ outcome: "unknown_email" });
    expect(await db.emailEvent.count({ where: { tenantId } })).toBe(before);
    expect(await db.suppression.count({ where: { tenantId } })).toBe(0);
  });
});

describe("automatic suppressions", () => {
  it("a hard bounce seen through SES blocks the next send through SendGrid, which receives nothing", async () => {
    const { apiKey, tenantId } = await signUp();
    const ses = await connect(apiKey, stack.emulators, "aws_ses", { priority: 1 });
    const first = await sentEmail(apiKey, "gone@example.com");
    expect(first.provider).toBe("aws_ses");
    await recordProviderEvent({ tenantId, connectionId: ses, provider: "aws_ses" }, event("bounced", { emailId: first.id, bounceType: "hard", recipient: "Gone@Example.com" }));
    const suppressions = (await api.get("/api/v1/suppressions", { token: apiKey })).body;
    expect(suppressions).toEqual([expect.objectContaining({ email: "gone@example.com", reason: "bounce", email_id: first.id, provider: "aws_ses" })]);

    // SES goes away; SendGrid is now the only route. The suppression is the tenant's, whatever the provider.
    await api.delete(`/api/v1/provider_connections/${ses}`, { token: apiKey });
    await connect(apiKey, stack.emulators, "sendgrid");
    const before = sends("sendgrid").length;
    const second = await api.post("/api/v1/emails", emailBody({ to_email: "GONE@example.com" }), { token: apiKey });
    const done = await waitForFinal(apiKey, second.body.id);
    expect(done.status).toBe("suppressed");
    expect(sends("sendgrid").length).toBe(before);

    // Removing the suppression by hand allows sending again.
    await api.delete(`/api/v1/suppressions/${suppressions[0].id}`, { token: apiKey });
    const third = await api.post("/api/v1/emails", emailBody({ to_email: "gone@example.com" }), { token: apiKey });
    expect((await waitForFinal(apiKey, third.body.id)).status).toBe("sent");
    expect(sends("sendgrid").length).toBe(before + 1);
  });

  it("complaints and unsubscribes suppress with their reason; a manual suppression is kept as it was", async () => {
    const { apiKey, tenantId } = await signUp();
    const connectionId = await connect(apiKey, stack.emulators, "sendgrid");
    const source = { tenantId, connectionId, provider: "sendgrid" as const };
    const a = await sentEmail(apiKey, "complainer@example.com");
    const b = await sentEmail(apiKey, "leaver@example.com");
    await api.post("/api/v1/suppressions", { email: "manual@example.com", reason: "manual", note: "asked by phone" }, { token: apiKey });
    const c = await sentEmail(apiKey, "other@example.com");
    await recordProviderEvent(source, event("complained", { emailId: a.id }));
    await recordProviderEvent(source, event("unsubscribed", { emailId: b.id }));
    await recordProviderEvent(source, event("opened", { emailId: c.id }));
    const list = (await api.get("/api/v1/suppressions", { token: apiKey })).body as { email: string; reason: string; note: string | null }[];
    const byEmail = Object.fromEntries(list.map((s) => [s.email, s]));
    expect(byEmail["complainer@example.com"]).toMatchObject({ reason: "complaint" });
    expect(byEmail["leaver@example.com"]).toMatchObject({ reason: "unsubscribe" });
    expect(byEmail["manual@example.com"]).toMatchObject({ reason: "manual", note: "asked by phone" });
    expect(byEmail["other@example.com"]).toBeUndefined();
  });
});

describe("sequence numbers, rollup and outbox", () => {
  it("numbers an email's outgoing events in order and counts each type once per email in the rollup", async () => {
    const { apiKey, tenantId } = await signUp();
    const connectionId = await connect(apiKey, stack.emulators, "sendgrid");
    const source = { tenantId, connectionId, provider: "sendgrid" as const };
    const email = await sentEmail(apiKey);
    await recordProviderEvent(source, event("delivered", { emailId: email.id }));
    await recordProviderEvent(source, event("opened", { emailId: email.id }));
    await recordProviderEvent(source, event("opened", { emailId: email.id }));
    await recordProviderEvent(source, event("clicked", { emailId: email.id, url: "https://example.com/a" }));
    const detail = (await api.get(`/api/v1/emails/${email.id}`, { token: apiKey })).body;
    const numbered = detail.events.filter((e: { sequence?: number }) => e.sequence !== undefined);
    expect(numbered.map((e: { event_type: string; sequence: number }) => [e.event_type, e.sequence])).toEqual([
      ["sent", 1],
      ["delivered", 2],
      ["opened", 3],
      ["opened", 4],
      ["clicked", 5],
    ]);
    // Internal steps are not numbered.
    expect(detail.events.find((e: { event_type: string }) => e.event_type === "queued").sequence).toBeUndefined();

    const db = await getDb();
    const stats = await db.emailDailyStat.findMany({ where: { tenantId } });
    expect(stats).toHaveLength(1);
    expect(stats[0]).toMatchObject({ test: false, provider: "sendgrid", sent: 1, delivered: 1, opened: 1, clicked: 1, bounced: 0, failed: 0 });
    expect(stats[0]!.day.toISOString().slice(0, 10)).toBe(new Date().toISOString().slice(0, 10));
  });

  it("a permanent refusal counts as failed under the provider that refused, and its webhook names it", async () => {
    const { apiKey, tenantId } = await signUp();
    await connect(apiKey, stack.emulators, "sendgrid");
    await stack.emulators.fail("sendgrid", "invalid_recipient", { times: 1 });
    const res = await api.post("/api/v1/emails", emailBody(), { token: apiKey });
    const done = await waitForFinal(apiKey, res.body.id);
    expect(done.status).toBe("failed");
    expect(done.events.find((e: { event_type: string }) => e.event_type === "failed")).toMatchObject({ provider: "sendgrid", sequence: 1 });
    const db = await getDb();
    expect(await db.emailDailyStat.findMany({ where: { tenantId }, select: { provider: true, failed: true, sent: true } })).toEqual([{ provider: "sendgrid", failed: 1, sent: 0 }]);
  });

  it("writes one outbox delivery per subscribed active endpoint, with exactly the seed's payload plus sequence and test", async () => {
    const { apiKey, tenantId } = await signUp();
    const connectionId = await connect(apiKey, stack.emulators, "sendgrid");
    const db = await getDb();
    // Rows as the webhook API would write them, at a port nothing listens on (these deliveries just fail).
    const endpoint = (events: string[], active = true, owner = tenantId) => {
      const id = uuidv7();
      return db.webhookEndpoint.create({ data: { id, tenantId: owner, url: "http://127.0.0.1:9/hook", events, secretEncrypted: sealWebhookSecret(id, generateWebhookSecret()), active } });
    };
    const all = await endpoint([]);
    const deliveredOnly = await endpoint(["delivered"]);
    await endpoint(["delivered"], false);
    const other = await signUp();
    await endpoint([], true, other.tenantId);

    const res = await api.post("/api/v1/emails", emailBody({ metadata: { user_id: "usr_123" } }), { token: apiKey });
    await waitForFinal(apiKey, res.body.id);
    const outcome = await recordProviderEvent({ tenantId, connectionId, provider: "sendgrid" }, event("delivered", { emailId: res.body.id, occurredAt: new Date("2026-12-02T10:30:03.000Z") }));
    expect(outcome.outcome === "recorded" && outcome.deliveryIds).toHaveLength(2);

    const deliveries = await eventually(async () => {
      const rows = await db.webhookDelivery.findMany({ where: { emailId: res.body.id }, orderBy: { createdAt: "asc" } });
      return rows.length === 3 && rows;
    });
    expect(deliveries.every((d) => d.tenantId === tenantId)).toBe(true);
    expect(deliveries.filter((d) => d.endpointId === all.id).map((d) => d.eventType).sort()).toEqual(["delivered", "sent"]);
    const delivered = deliveries.find((d) => d.endpointId === deliveredOnly.id)!;
    expect(delivered.eventType).toBe("delivered");
    expect(delivered.payload).toEqual({
      event: "delivered",
      email_id: res.body.id,
      recipient: res.body.to_email,
      provider: "sendgrid",
      timestamp: expect.any(String),
      metadata: { user_id: "usr_123" },
      sequence: 2,
      test: false,
    });
    // The same event carries the same message id to every endpoint.
    const sameEvent = deliveries.filter((d) => d.eventType === "delivered");
    expect(new Set(sameEvent.map((d) => d.messageId)).size).toBe(1);
  });
});

describe("test mode plays the provider", () => {
  async function testKey(token: string): Promise<string> {
    return (await api.post("/api/v1/api_keys", { name: "sandbox", mode: "test" }, { token })).body.raw_key;
  }

  it.each([
    ["delivered", "delivered", ["delivered"], null],
    ["bounced", "bounced", ["bounced"], "bounce"],
    ["complained", "delivered", ["delivered", "complained"], "complaint"],
    ["opened", "delivered", ["delivered", "opened"], null],
    ["clicked", "delivered", ["delivered", "opened", "clicked"], null],
  ])("%s@sandbox.courierx.dev ends %s with its events", async (local, status, types, suppression) => {
    const { token, tenantId } = await signUp();
    const key = await testKey(token);
    const address = `${local}@sandbox.courierx.dev`;
    const res = await api.post("/api/v1/emails", emailBody({ to_email: address }), { token: key });
    expect(res.status).toBe(202);
    const detail = await eventually(async () => {
      const d = (await api.get(`/api/v1/emails/${res.body.id}`, { token: key })).body;
      const seen = d.events.map((e: { event_type: string }) => e.event_type);
      // The detail reads the email and its events in two queries: on PostgreSQL a poll can see the event
      // before the status written in the same statement. Wait for both (a status that never moves times out).
      return types.every((t) => seen.includes(t)) && d.status === status && d;
    });
    expect(detail.status).toBe(status);
    const providerEvents = detail.events.filter((e: { event_type: string }) => types.includes(e.event_type));
    expect(providerEvents.map((e: { event_type: string }) => e.event_type)).toEqual(types);
    const db = await getDb();
    const suppressed = await db.suppression.findFirst({ where: { tenantId, email: address } });
    expect(suppressed?.reason ?? null).toBe(suppression);
    const stats = await db.emailDailyStat.findMany({ where: { tenantId } });
    expect(stats.every((s) => s.test)).toBe(true);
  });

  it("an ordinary test address and a live email to a sandbox address get no simulated events", async () => {
    const { token, apiKey } = await signUp();
    const key = await testKey(token);
    const plain = await api.post("/api/v1/emails", emailBody({ to_email: "someone@example.com" }), { token: key });
    expect((await waitForFinal(key, plain.body.id)).status).toBe("sent");
    await connect(apiKey, stack.emulators, "sendgrid");
    const live = await api.post("/api/v1/emails", emailBody({ to_email: "bounced@sandbox.courierx.dev" }), { token: apiKey });
    const done = await waitForFinal(apiKey, live.body.id);
    expect(done.status).toBe("sent");
    expect(done.events.map((e: { event_type: string }) => e.event_type)).not.toContain("bounced");
  });
});
