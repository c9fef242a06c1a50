/**
 * Per-message provider overrides and routing through the whole stack: POST /api/v1/emails (and /batch) →
 * stored → the app's engine → the provider SDKs → the emulators and real SMTP servers. The adapters' own
 * merging is covered in tests/integration/providers/overrides.test.ts; here, what the API promises:
 * an attachment override arrives, a transport override reaches its own server and its password is in no
 * response, no log line and (once the email is final) no table; routing touches only the named connections.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { getDb, Prisma } from "@/server/db";
import { setLogSink } from "@/server/lib/logger";
import { TEST_CREDENTIALS } from "../../emulators";
import { SmtpEmulator } from "../../emulators/smtp-emulator";
import { api, signUp } from "../../helpers/api";
import { connect, emailBody, startSendingStack, waitForFinal, type SendingStack } from "../../helpers/sending";

let stack: SendingStack;
/** A second relay with its own AUTH, as a tenant's other SMTP server would be. */
let second: SmtpEmulator;
const SECOND = { user: "second-relay-user", password: "override-pass-7f3a9c1e" };

beforeAll(async () => {
  stack = await startSendingStack();
  second = await SmtpEmulator.start({ credentials: { ...TEST_CREDENTIALS, smtp: SECOND }, record: true });
});
beforeEach(async () => {
  await Promise.all([stack.emulators.reset(), second.reset()]);
});
afterAll(async () => {
  await second.stop();
  await stack.stop();
});

async function send(apiKey: string, body: Record<string, unknown>) {
  return api.post("/api/v1/emails", emailBody(body), { token: apiKey });
}

async function sentThrough(apiKey: string, body: Record<string, unknown>) {
  const res = await send(apiKey, body);
  expect(res.status, res.text).toBe(202);
  const done = await waitForFinal(apiKey, res.body.id);
  return { id: res.body.id as string, accepted: res, done };
}

/** Connecting verifies the credentials with a request of its own: forgotten, so only sends are counted. */
async function forgetVerifications(): Promise<void> {
  await stack.emulators.reset();
}

async function emailCount(tenantId: string): Promise<number> {
  const db = await getDb();
  return db.email.count({ where: { tenantId } });
}

/** Every row of every table of the app's schema whose text form contains `needle`, as "Table" names. */
async function tablesContaining(needle: string): Promise<string[]> {
  const db = await getDb();
  const tables = await db.$queryRaw<{ tablename: string }[]>(Prisma.sql`SELECT tablename FROM pg_tables WHERE schemaname = current_schema()`);
  const found: string[] = [];
  for (const { tablename } of tables) {
    const [row] = await db.$queryRaw<{ n: bigint }[]>(Prisma.sql`SELECT count(*) AS n FROM ${Prisma.raw(`"${tablename}"`)} t WHERE t::text LIKE ${`%${needle}%`}`);
    if (Number(row!.n) > 0) found.push(tablename);
  }
  return found;
}

describe("provider_overrides", () => {
  it("an SMTP attachment override arrives at the SMTP server beside the email's own attachment", async () => {
    const { apiKey } = await signUp("Overrides attachments");
    await connect(apiKey, stack.emulators, "smtp");
    const pdf = Buffer.from("%PDF-1.4 invoice 42").toString("base64");
    const { done } = await sentThrough(apiKey, {
      attachments: [{ filename: "notes.txt", content: Buffer.from("own attachment").toString("base64"), content_type: "text/plain" }],
      provider_overrides: {
        smtp: { body: { attachments: [{ filename: "invoice-42.pdf", content: pdf, contentType: "application/pdf" }], priority: "high", headers: { "X-Campaign": "december" } } },
        // Another provider's entry never reaches SMTP.
        sendgrid: { body: { categories: ["ignored-here"] } },
      },
    });
    expect(done.status).toBe("sent");
    expect(stack.emulators.smtp.received).toHaveLength(1);
    const parsed = await stack.emulators.smtp.parse(stack.emulators.smtp.received[0]!);
    expect(parsed.attachments.map((a) => [a.filename, a.contentType, a.content.toString()])).toEqual([
      ["notes.txt", "text/plain", "own attachment"],
      ["invoice-42.pdf", "application/pdf", "%PDF-1.4 invoice 42"],
    ]);
    expect(parsed.headers.get("x-campaign")).toBe("december");
    expect(stack.emulators.smtp.received[0]!.raw.toString()).toMatch(/^X-Priority: 1/m);
    expect(stack.emulators.smtp.received[0]!.raw.toString()).not.toContain("ignored-here");
    // The detail shows the overrides as stored, attachment contents by size.
    expect(done.provider_overrides.smtp.body.attachments).toEqual([{ filename: "invoice-42.pdf", contentType: "application/pdf", encoding: "base64", size: 19 }]);
    expect(done.provider_overrides.sendgrid).toEqual({ body: { categories: ["ignored-here"] } });
    expect(done.routing).toBeNull();
  });

  it("an HTTP provider's body override reaches its API: SendGrid categories and ip_pool_name", async () => {
    const { apiKey } = await signUp("Overrides sendgrid");
    await connect(apiKey, stack.emulators, "sendgrid");
    await forgetVerifications();
    const { done } = await sentThrough(apiKey, { provider_overrides: { sendgrid: { body: { categories: ["receipts"], ip_pool_name: "transactional" } } } });
    expect(done.status).toBe("sent");
    const [request] = stack.emulators.http.requests("sendgrid");
    // The override's categories join the email's tags (SendGrid's categories carry them).
    expect(request!.json).toMatchObject({ categories: ["welcome", "receipts"], ip_pool_name: "transactional" });
  });

  it("a transport override reaches a second SMTP server with its own AUTH; its password is in no response, log line or, once sent, table", async () => {
    const { apiKey, tenantId } = await signUp("Overrides transport");
    await connect(apiKey, stack.emulators, "smtp");
    const lines: string[] = [];
    const restore = setLogSink((line) => lines.push(line), "debug");
    try {
      // Held two seconds, so the sealed credentials can be seen at rest before the send erases them.
      const res = await send(apiKey, {
        scheduled_at: new Date(Date.now() + 2_000).toISOString(),
        provider_overrides: {
          smtp: { config: { host: second.host, port: second.port, secure: false, requireTLS: true, tls: { rejectUnauthorized: false }, auth: { user: SECOND.user, pass: SECOND.password } } },
        },
      });
      expect(res.status, res.text).toBe(202);
      const db = await getDb();
      const held = await db.email.findUniqueOrThrow({ where: { id: res.body.id } });
      expect(held.providerOverrideAuth).toMatch(/\S/);
      expect(held.providerOverrideAuth).not.toContain(SECOND.password);
      expect(JSON.stringify(held.providerOverrides)).not.toContain(SECOND.password);
      expect(JSON.stringify(held.providerOverrides)).toContain(second.host);

      const done = await waitForFinal(apiKey, res.body.id);
      expect(done.status, JSON.stringify(done.events)).toBe("sent");
      expect(second.received).toHaveLength(1);
      expect(second.received[0]).toMatchObject({ user: SECOND.user, secure: true });
      // The stored relay was not used for this email.
      expect(stack.emulators.smtp.received).toHaveLength(0);

      const responses = [
        res.text,
        (await api.get(`/api/v1/emails/${res.body.id}`, { token: apiKey })).text,
        (await api.get("/api/v1/emails", { token: apiKey })).text,
      ];
      for (const text of responses) expect(text).not.toContain(SECOND.password);
      expect(JSON.parse(responses[1]!).provider_overrides.smtp.config).toEqual({ host: second.host, port: second.port, secure: false, requireTLS: true, tls: { rejectUnauthorized: false } });
      expect((await db.email.findUniqueOrThrow({ where: { id: res.body.id } })).providerOverrideAuth).toBeNull();
      expect(await tablesContaining(SECOND.password)).toEqual([]);
      expect(await tablesContaining(SECOND.user)).toEqual([]);
    } finally {
      restore();
    }
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.filter((line) => line.includes(SECOND.password))).toEqual([]);
    expect(await emailCount(tenantId)).toBe(1);
  });

  it("the sealed credentials are erased when the email fails, and when it is canceled", async () => {
    const { apiKey } = await signUp("Overrides erase");
    await connect(apiKey, stack.emulators, "smtp");
    const override = (pass: string) => ({ smtp: { config: { host: second.host, port: second.port, secure: false, requireTLS: true, tls: { rejectUnauthorized: false }, auth: { user: SECOND.user, pass } } } });
    const db = await getDb();

    // A wrong password: the override's server refuses AUTH (permanent), the email fails.
    const failed = await sentThrough(apiKey, { provider_overrides: override("wrong-pass-123456") });
    expect(failed.done.status).toBe("failed");
    expect(failed.done.last_error).toMatch(/535|auth/i);
    expect(failed.done.last_error).not.toContain("wrong-pass-123456");
    expect((await db.email.findUniqueOrThrow({ where: { id: failed.id } })).providerOverrideAuth).toBeNull();

    const scheduled = await send(apiKey, { scheduled_at: new Date(Date.now() + 3_600_000).toISOString(), provider_overrides: override(SECOND.password) });
    expect((await db.email.findUniqueOrThrow({ where: { id: scheduled.body.id } })).providerOverrideAuth).not.toBeNull();
    expect((await api.post(`/api/v1/emails/${scheduled.body.id}/cancel`, {}, { token: apiKey })).status).toBe(200);
    expect((await db.email.findUniqueOrThrow({ where: { id: scheduled.body.id } })).providerOverrideAuth).toBeNull();
    expect(second.received).toHaveLength(0);
  });

  it("a forbidden body field, an unknown provider or an internal host is a 422 and stores nothing", async () => {
    const { apiKey, tenantId } = await signUp("Overrides refused");
    await connect(apiKey, stack.emulators, "sendgrid");
    const cases: [Record<string, unknown>, string][] = [
      [{ sendgrid: { body: { personalizations: [{ to: [{ email: "other@example.com" }] }] } } }, "provider_overrides.sendgrid.body.personalizations is not allowed: it would change the recipients"],
      [{ smtp: { body: { bcc: "spy@example.com" } } }, "provider_overrides.smtp.body.bcc is not allowed: it would change the recipients"],
      [{ mailgun: { body: { "h:Bcc": "spy@example.com" } } }, "provider_overrides.mailgun.body.h:Bcc"],
      [{ postmark: { config: { host: "smtp.example.com" } } }, "provider_overrides.postmark.config is not allowed: only smtp takes a transport config"],
      [{ sparkpost: { body: {} } }, "provider_overrides.sparkpost is not a provider"],
      [{ smtp: { config: { host: "169.254.169.254", port: 25 } } }, "provider_overrides.smtp.config.host is not allowed"],
      // A name every object inherits, whose value nodemailer would have written as a header, CR/LF and all.
      [{ smtp: { body: { list: { constructor: { url: "https://example.com/x", comment: "x\r\nBcc: victim@evil.test" } } } } }, "provider_overrides.smtp.body.list.constructor is not allowed"],
      [{ smtp: { body: { headers: { "X-SMTPAPI": '{"to":["victim@evil.test"]}' } } } }, "provider_overrides.smtp.body.headers.X-SMTPAPI names may not be headers a provider acts on"],
    ];
    for (const [overrides, message] of cases) {
      const res = await send(apiKey, { provider_overrides: overrides });
      expect(res.status, JSON.stringify(overrides)).toBe(422);
      expect(res.body.errors.join("\n")).toContain(message);
    }
    expect(await emailCount(tenantId)).toBe(0);
  });
});

describe("routing", () => {
  it("narrowed to one connection: only that one is called, and when it fails nothing fails over", async () => {
    const { apiKey, tenantId } = await signUp("Routing narrow");
    await connect(apiKey, stack.emulators, "sendgrid", { priority: 1 });
    await connect(apiKey, stack.emulators, "postmark", { priority: 2 });
    const mailgun = await connect(apiKey, stack.emulators, "mailgun", { priority: 3 });
    await forgetVerifications();

    const { done } = await sentThrough(apiKey, { routing: { connections: [mailgun] } });
    expect(done.status).toBe("sent");
    expect(done.provider).toBe("mailgun");
    expect(done.routing).toEqual({ connections: [mailgun] });
    expect(done.provider_overrides).toBeNull();
    expect(stack.emulators.http.requests("mailgun")).toHaveLength(1);
    expect(stack.emulators.http.requests("sendgrid")).toHaveLength(0);
    expect(stack.emulators.http.requests("postmark")).toHaveLength(0);

    // The routed connection refuses the recipient (permanent): failed, and the others are still untouched.
    await stack.emulators.fail("mailgun", "invalid_recipient", { times: 1 });
    const refused = await sentThrough(apiKey, { routing: { connections: [mailgun] } });
    expect(refused.done.status).toBe("failed");
    expect(stack.emulators.http.requests("sendgrid")).toHaveLength(0);
    expect(stack.emulators.http.requests("postmark")).toHaveLength(0);

    // Down (transient, every round): failover only within the list, which has no other entry.
    await stack.emulators.fail("mailgun", "5xx", { times: Infinity });
    const down = await sentThrough(apiKey, { routing: { connections: ["mailgun"] } });
    expect(down.done.status).toBe("failed");
    expect(stack.emulators.http.requests("sendgrid")).toHaveLength(0);
    expect(stack.emulators.http.requests("postmark")).toHaveLength(0);
    expect(await emailCount(tenantId)).toBe(3);
  });

  it("provider names in order: fails over from the first to the second named, never to the unnamed", async () => {
    const { apiKey } = await signUp("Routing order");
    await connect(apiKey, stack.emulators, "sendgrid", { priority: 1 });
    await connect(apiKey, stack.emulators, "postmark", { priority: 2 });
    await connect(apiKey, stack.emulators, "resend", { priority: 3 });
    await forgetVerifications();
    await stack.emulators.fail("resend", "5xx", { times: 1 });
    const { done } = await sentThrough(apiKey, { routing: { connections: ["resend", "postmark"] } });
    expect(done.status).toBe("sent");
    expect(done.provider).toBe("postmark");
    expect(stack.emulators.http.requests("resend")).toHaveLength(1);
    expect(stack.emulators.http.requests("sendgrid")).toHaveLength(0);
  });

  it("an unknown id, another account's connection or a provider not connected is a 422, in a batch for that item only", async () => {
    const { apiKey, tenantId } = await signUp("Routing refused");
    const own = await connect(apiKey, stack.emulators, "sendgrid");
    const other = await signUp("Routing other account");
    const foreign = await connect(other.apiKey, stack.emulators, "postmark");

    const cases: [unknown, string][] = [
      [["0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b"], "routing.connections.0 is not a connection of this account"],
      [[own, foreign], "routing.connections.1 is not a connection of this account"],
      [["mailgun"], "routing.connections.0 names mailgun, which this account has not connected"],
      [["not a connection!"], "routing.connections.0 must be a connection id or a provider name"],
      [[], "routing.connections must name at least one connection"],
    ];
    for (const [connections, message] of cases) {
      const res = await send(apiKey, { routing: { connections } });
      expect(res.status, JSON.stringify(connections)).toBe(422);
      expect(res.body.errors).toContain(message);
    }
    expect(await emailCount(tenantId)).toBe(0);

    const batch = await api.post(
      "/api/v1/emails/batch",
      { emails: [emailBody({ routing: { connections: [own] } }), emailBody({ routing: { connections: ["mailgun"] } }), emailBody({ provider_overrides: { smtp: { config: { host: "10.0.0.1" } } } })] },
      { token: apiKey },
    );
    expect(batch.status).toBe(202);
    expect(batch.body.data.map((r: { status: number }) => r.status)).toEqual([202, 422, 422]);
    expect(batch.body.data[1].errors).toEqual(["routing.connections.0 names mailgun, which this account has not connected"]);
    expect(batch.body.data[2].errors.join()).toContain("provider_overrides.smtp.config.host is not allowed");
    expect((await waitForFinal(apiKey, batch.body.data[0].email.id)).status).toBe("sent");
    expect(await emailCount(tenantId)).toBe(1);
  });

  it("a test key routes and overrides into the sandbox: validated the same, no provider called", async () => {
    const { apiKey, token } = await signUp("Routing test key");
    const own = await connect(apiKey, stack.emulators, "sendgrid");
    const testKey = (await api.post("/api/v1/api_keys", { name: "sandbox", mode: "test" }, { token })).body.raw_key as string;
    await forgetVerifications();
    expect((await send(testKey, { routing: { connections: ["postmark"] } })).status).toBe(422);
    const { done } = await sentThrough(testKey, { routing: { connections: [own] }, provider_overrides: { sendgrid: { body: { categories: ["x"] } } } });
    expect(done.status).toBe("sent");
    expect(stack.emulators.http.requests("sendgrid")).toHaveLength(0);
  });
});
