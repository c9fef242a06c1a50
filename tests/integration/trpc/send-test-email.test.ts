/**
 * send.sendTest, the dashboard's "Send a test email", through the real sending stack (local engine, provider
 * emulators): test mode ends at the sandbox under a test key's rules and never reaches a connection, live mode
 * goes through the account's connections, members are refused, and validation errors come back by field.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TRPCError } from "@trpc/server";
import { getDb } from "@/server/db";
import { addUser, callerFor, signUpOwner, trpcHttp, type Owner } from "../../helpers/trpc";
import { connect, startSendingStack, waitForFinal, type SendingStack } from "../../helpers/sending";

let stack: SendingStack;
beforeAll(async () => {
  stack = await startSendingStack();
});
afterAll(async () => stack.stop());

const message = (to: string, overrides: Record<string, unknown> = {}) => ({
  from_email: "hello@yourapp.com",
  from_name: "Your App",
  to_email: to,
  subject: "A test from the dashboard",
  html_body: "<p>It works</p>",
  text_body: "It works",
  ...overrides,
});

/** Requests the emulators received for anyone, by recipient (every HTTP provider and the SMTP server). */
function received(to: string): number {
  const http = (["sendgrid", "postmark"] as const).flatMap((p) => stack.emulators.http.requests(p)).filter((r) => JSON.stringify(r).includes(to));
  const smtp = stack.emulators.smtp.received.filter((m) => JSON.stringify(m).includes(to));
  return http.length + smtp.length;
}

async function ownerWithConnections(): Promise<Owner> {
  const owner = await signUpOwner("Send test");
  await connect(owner.apiKey, stack.emulators, "sendgrid", { priority: 1 });
  await connect(owner.apiKey, stack.emulators, "postmark", { priority: 2 });
  return owner;
}

/** The email once it has this status and these events (the sandbox's events follow the sent one). */
async function waitForEvents(owner: Owner, id: string, status: string, events: string[]): Promise<any> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const email = await callerFor(owner.session).emails.get({ id });
    if (email.status === status && email.events.length >= events.length) return email;
    if (Date.now() > deadline) throw new Error(`email ${id} is ${email.status} with ${JSON.stringify(email.events.map((e) => e.event_type))}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function emailCount(tenantId: string): Promise<number> {
  return (await getDb()).email.count({ where: { tenantId } });
}

describe("send.sendTest", () => {
  it("in test mode stores a test email that ends at the sandbox: no connection is contacted, the scenario's events play", async () => {
    const owner = await ownerWithConnections();
    const caller = callerFor(owner.session);
    const sendgridBefore = stack.emulators.http.stats("sendgrid").received;
    const postmarkBefore = stack.emulators.http.stats("postmark").received;

    const accepted = await caller.send.sendTest({ mode: "test", data: message("delivered@sandbox.courierx.dev") });
    expect(accepted).toMatchObject({ status: "queued", test: true, to_email: "delivered@sandbox.courierx.dev", warnings: expect.any(Array) });
    const done = await waitForEvents(owner, accepted.id, "delivered", ["queued", "sent", "delivered"]);
    expect(done).toMatchObject({ status: "delivered", test: true });
    expect(done.provider_message_id).toMatch(/^sandbox-/);
    expect(done.events.map((e: { event_type: string }) => e.event_type)).toEqual(["queued", "sent", "delivered"]);
    expect(done.events[1]).toMatchObject({ sandbox: true });

    // An ordinary address in test mode: sent to the sandbox, still nothing at any provider.
    const plain = await caller.send.sendTest({ mode: "test", data: message("someone-test@example.com") });
    expect((await waitForFinal(owner.token, plain.id)).status).toBe("sent");

    await stack.engine.drain({ timeoutMs: 10_000 });
    expect(stack.emulators.http.stats("sendgrid").received).toBe(sendgridBefore);
    expect(stack.emulators.http.stats("postmark").received).toBe(postmarkBefore);
    expect(received("someone-test@example.com") + received("delivered@sandbox.courierx.dev")).toBe(0);

    // Stored as a test key's send would be: test, no API key, counted in the test analytics only.
    const row = await (await getDb()).email.findUniqueOrThrow({ where: { id: accepted.id } });
    expect(row).toMatchObject({ test: true, apiKeyId: null, tenantId: owner.session.tenantId });
    expect((await caller.analytics.metrics({ period: "7d", test: "true" })).totals).toMatchObject({ sent: 2, delivered: 1 });
    expect((await caller.analytics.metrics({ period: "7d" })).totals.sent).toBe(0);
    // The live connections' circuits saw nothing.
    const connections = await caller.providerConnections.list({});
    expect(connections.items.map((c) => c.health)).toEqual([
      expect.objectContaining({ state: "closed", consecutive_failures: 0, last_success_at: null }),
      expect.objectContaining({ state: "closed", consecutive_failures: 0, last_success_at: null }),
    ]);
  }, 30_000);

  it("in test mode follows a test key's rules: a suppressed address is suppressed, idempotency keys are per mode", async () => {
    const owner = await ownerWithConnections();
    const caller = callerFor(owner.session);
    await caller.suppressions.create({ email: "blocked-test@example.com" });
    const blocked = await caller.send.sendTest({ mode: "test", data: message("blocked-test@example.com") });
    expect((await waitForFinal(owner.token, blocked.id)).status).toBe("suppressed");

    const keyed = message("keyed@example.com", { metadata: { idempotency_key: "dashboard-1" } });
    const first = await caller.send.sendTest({ mode: "test", data: keyed });
    expect((await caller.send.sendTest({ mode: "test", data: keyed })).id).toBe(first.id);
    const live = await caller.send.sendTest({ mode: "live", data: keyed });
    expect(live.id).not.toBe(first.id);
    expect(live.test).toBe(false);
  }, 30_000);

  it("in live mode sends through the account's connections, as a REST send does", async () => {
    const owner = await ownerWithConnections();
    const caller = callerFor(owner.session);
    const to = `live-${Date.now()}@example.com`;
    const accepted = await caller.send.sendTest({ mode: "live", data: message(to) });
    expect(accepted).toMatchObject({ status: "queued", test: false });
    const done = await waitForFinal(owner.token, accepted.id);
    expect(done).toMatchObject({ status: "sent", test: false, provider: "sendgrid" });
    expect(done.provider_message_id).not.toMatch(/^sandbox-/);
    const requests = stack.emulators.http.requests("sendgrid").filter((r) => JSON.stringify(r).includes(to));
    expect(requests).toHaveLength(1);
    expect(received(to)).toBe(1);
    expect((await caller.analytics.metrics({ period: "7d" })).totals.sent).toBe(1);
  }, 30_000);

  it("in live mode without a connection fails the email, as the REST API does (nothing goes to the sandbox)", async () => {
    const owner = await signUpOwner("No providers");
    const accepted = await callerFor(owner.session).send.sendTest({ mode: "live", data: message("nobody@example.com") });
    const done = await waitForFinal(owner.token, accepted.id);
    expect(done).toMatchObject({ status: "failed", test: false, last_error: expect.stringMatching(/No enabled provider connection/) });
  }, 30_000);

  it("refuses a member FORBIDDEN in either mode and stores nothing; an admin may send", async () => {
    const owner = await ownerWithConnections();
    const member = await addUser(owner.session.tenantId, "member");
    for (const mode of ["test", "live"] as const) {
      const error = await callerFor(member).send.sendTest({ mode, data: message("delivered@sandbox.courierx.dev") }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(TRPCError);
      expect((error as TRPCError).code).toBe("FORBIDDEN");
    }
    expect(await emailCount(owner.session.tenantId)).toBe(0);
    const admin = await addUser(owner.session.tenantId, "admin");
    const sent = await callerFor(admin).send.sendTest({ mode: "test", data: message("delivered@sandbox.courierx.dev") });
    expect(sent.status).toBe("queued");
  });

  it("keeps the email in the sender's tenant: another tenant's session cannot read it", async () => {
    const owner = await ownerWithConnections();
    const sent = await callerFor(owner.session).send.sendTest({ mode: "test", data: message("delivered@sandbox.courierx.dev") });
    const other = await signUpOwner("Someone else");
    const error = await callerFor(other.session).emails.get({ id: sent.id }).catch((e: unknown) => e);
    expect((error as TRPCError).code).toBe("NOT_FOUND");
    expect((await callerFor(other.session).emails.list({})).total).toBe(0);
  });

  it("answers validation errors by form field over HTTP and stores nothing", async () => {
    const owner = await signUpOwner("Validation");
    const res = await trpcHttp(owner.session, "send.sendTest", { mode: "test", data: message("", { from_email: "not-an-address", subject: " " }) }, "mutation");
    expect(res.status).toBe(400);
    expect(res.body.error.data).toMatchObject({
      code: "BAD_REQUEST",
      fieldErrors: {
        from_email: ["from_email is not a valid email address"],
        to_email: ["to_email can't be blank"],
        subject: ["subject can't be blank"],
      },
    });
    const noBody = await trpcHttp(owner.session, "send.sendTest", { mode: "live", data: message("a@example.com", { html_body: undefined, text_body: " " }) }, "mutation");
    expect(noBody.body.error.data.errors).toEqual(["html_body or text_body is required"]);
    const badMode = await trpcHttp(owner.session, "send.sendTest", { mode: "sandbox", data: message("a@example.com") }, "mutation");
    expect(badMode.body.error.data.fieldErrors).toEqual({ mode: ["mode must be one of: test, live"] });
    // Text the database cannot store is refused before the schema, named as the form names the field.
    const nul = await trpcHttp(owner.session, "send.sendTest", { mode: "test", data: message("a@example.com", { subject: "Hi\u0000there" }) }, "mutation");
    expect(nul.status).toBe(400);
    expect(nul.body.error.data.errors).toEqual(["subject must not contain NUL characters or unpaired UTF-16 surrogates"]);
    expect(await emailCount(owner.session.tenantId)).toBe(0);
  });
});
