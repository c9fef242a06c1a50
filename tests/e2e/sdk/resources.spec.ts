/**
 * @courierx/node against `next start`: the seed's SDK examples as written (only apiKey and baseUrl
 * changed), every resource method, the page iterator over several pages, and the typed errors. No browser:
 * the owner is registered through the fixtures' REST call and everything else goes through the SDK.
 */
import { randomUUID } from "node:crypto";
import { AuthenticationError, ConflictError, ConnectionError, CourierX, NotFoundError, PermissionError, ValidationError } from "@courierx/node";
import { expect, test } from "../support/fixtures";
import { emulatorConnection, eventually, sdk, tenantClients } from "./clients";

test.describe("@courierx/node against the app", () => {
  test("the seed's quickstart and SDK examples work as written", async ({ baseURL, clientAddress, seedTenant, emulators }) => {
    const tenant = await seedTenant({ signIn: false });
    const { owner, liveKey } = await tenantClients(tenant, baseURL!, clientAddress);
    await owner.providerConnections.create(emulatorConnection(emulators, "sendgrid", { displayName: "SendGrid Primary", priority: 1 }));

    // Quickstart, "Send your first email", verbatim but for apiKey and baseUrl (the import is at the top of this file).
    const courierx = new CourierX({ apiKey: liveKey, baseUrl: baseURL })
    const { email } = await courierx.emails.send({
      from: "hello@yourapp.com",
      to: "user@example.com",
      subject: "Hello from CourierX!",
      html: "<h1>It works!</h1><p>Your first email via CourierX.</p>",
    });
    expect(email.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(email.status).toBe("queued");

    // The SDK section.
    const { email: welcome } = await courierx.emails.send({
      from: "hello@yourapp.com",
      to: "user@example.com",
      subject: "Welcome!",
      html: "<h1>Welcome</h1>",
    });
    expect(welcome.status).toBe("queued");
    const detail = await eventually(
      () => courierx.emails.get(welcome.id),
      (e) => e.status === "sent",
    );
    expect(detail.events.map((e) => e.event_type)).toEqual(["queued", "sent"]);
    expect(detail.provider).toBe("sendgrid");
    expect(emulators.http.requests("sendgrid").some((r) => r.body.toString("utf8").includes("Welcome!"))).toBe(true);
    const emails = await courierx.emails.list({ status: "delivered" });
    expect(emails.data).toEqual([]);
    expect(emails.pagination).toMatchObject({ page: 1, total: 0 });
    const { id: domainId } = await owner.domains.create({ domain: `mail-${Date.now()}.example.com` });
    expect((await courierx.domains.verify(domainId)).id).toBe(domainId);
    const key = await courierx.apiKeys.create({ name: "Staging" });
    expect(key.key).toMatch(/^cxk_live_/);
    expect(key.prefix.length).toBeGreaterThan(8);
    expect(key.key.startsWith(key.prefix)).toBe(true);
  });

  test("every resource method", async ({ baseURL, clientAddress, uniqueEmail, emulators }) => {
    const anonymous = sdk(baseURL!, clientAddress);
    const email = uniqueEmail("sdk-owner");
    const password = "correct-horse-battery";

    // auth
    const registered = await anonymous.auth.register({ name: "SDK Co", email, password });
    expect(registered).toMatchObject({ token_type: "Bearer", user: { email, role: "owner" }, account: { name: "SDK Co" } });
    const session = await anonymous.auth.login({ email, password });
    const owner = sdk(baseURL!, clientAddress, { apiKey: session.token });
    expect(await owner.auth.me()).toMatchObject({ account: { id: registered.account.id }, user: { email }, authenticated_with: { type: "session" } });

    // apiKeys
    const staging = await owner.apiKeys.create({ name: "Staging" });
    const other = await owner.apiKeys.create({ name: "Other", mode: "test" });
    expect(staging).toMatchObject({ name: "Staging", mode: "live", status: "active" });
    expect(other.key).toMatch(/^cxk_test_/);
    const keyClient = sdk(baseURL!, clientAddress, { apiKey: staging.key });
    expect((await keyClient.auth.me()).authenticated_with).toEqual({ type: "api_key", api_key_id: staging.id, mode: "live" });
    const keys = await owner.apiKeys.list();
    expect(keys.pagination.total).toBe(2);
    expect(keys.data.map((k) => k.name).sort()).toEqual(["Other", "Staging"]);
    expect(keys.data.every((k) => !("raw_key" in k))).toBe(true);
    expect(await collect(owner.apiKeys.listAll({ perPage: 1 }))).toHaveLength(2);
    expect(await owner.apiKeys.revoke(staging.id)).toMatchObject({ id: staging.id, status: "revoked" });
    await expect(keyClient.auth.me()).rejects.toBeInstanceOf(AuthenticationError);
    await owner.apiKeys.delete(other.id);
    expect((await owner.apiKeys.list()).data.map((k) => k.id)).toEqual([staging.id]);

    // domains
    const name = `mail-${Date.now()}.yourapp.example`;
    const domain = await owner.domains.create({ domain: name });
    expect(domain).toMatchObject({ domain: name, status: "pending", dns_record: { type: "TXT", host: `_courierx.${name}` } });
    expect(domain.verification_token).toBe(domain.dns_record.value);
    expect((await owner.domains.list()).data.map((d) => d.id)).toEqual([domain.id]);
    expect(await owner.domains.get(domain.id)).toMatchObject({ id: domain.id, domain: name });
    const verified = await owner.domains.verify(domain.id);
    expect(verified.status).not.toBe("verified");
    expect(verified.last_checked_at).not.toBeNull();
    await owner.domains.delete(domain.id);
    await expect(owner.domains.get(domain.id)).rejects.toBeInstanceOf(NotFoundError);

    // providerConnections
    const sendgrid = await owner.providerConnections.create(emulatorConnection(emulators, "sendgrid", { displayName: "SendGrid Primary", priority: 1 }));
    expect(sendgrid).toMatchObject({ provider: "sendgrid", display_name: "SendGrid Primary", priority: 1, verification: { status: "verified" } });
    expect(JSON.stringify(sendgrid)).not.toContain(emulators.credentials.sendgrid.apiKey);
    const postmark = await owner.providerConnections.create(emulatorConnection(emulators, "postmark", { displayName: "Postmark Backup", priority: 2 }));
    expect((await owner.providerConnections.list()).data.map((c) => c.display_name)).toEqual(["SendGrid Primary", "Postmark Backup"]);
    expect(await owner.providerConnections.get(sendgrid.id)).toMatchObject({ id: sendgrid.id, health: { state: "closed" } });
    expect(await owner.providerConnections.update(sendgrid.id, { priority: 5, weight: 30, displayName: "SendGrid" })).toMatchObject({ priority: 5, weight: 30, display_name: "SendGrid" });
    expect(await owner.providerConnections.verify(sendgrid.id)).toMatchObject({ status: "verified" });
    const rotated = await owner.providerConnections.rotateWebhookCredentials(postmark.id);
    expect(rotated.events_webhook?.url).toMatch(/^http:\/\/[^:]+:[^@•]+@.+\/api\/webhooks\/postmark\//);
    expect(await collect(owner.providerConnections.listAll({ perPage: 1 }))).toHaveLength(2);

    // routingRules
    const rule = await owner.routingRules.create({
      name: "Transactional",
      conditions: { fromDomains: ["yourapp.com"], tags: ["receipt"] },
      strategy: "weighted",
      providers: [
        { connectionId: sendgrid.id, weight: 3 },
        { connectionId: postmark.id, weight: 1 },
      ],
    });
    expect(rule).toMatchObject({ name: "Transactional", strategy: "weighted", conditions: { from_domains: ["yourapp.com"], tags: ["receipt"] } });
    expect(rule.providers.map((p) => [p.connection_id, p.weight])).toEqual([
      [sendgrid.id, 3],
      [postmark.id, 1],
    ]);
    expect((await owner.routingRules.list()).data.map((r) => r.id)).toEqual([rule.id]);
    expect((await owner.routingRules.get(rule.id)).name).toBe("Transactional");
    const updated = await owner.routingRules.update(rule.id, { strategy: "priority", providers: [{ connectionId: postmark.id }], enabled: false });
    expect(updated).toMatchObject({ strategy: "priority", enabled: false });
    expect(updated.providers.map((p) => p.connection_id)).toEqual([postmark.id]);
    await owner.routingRules.delete(rule.id);
    await expect(owner.routingRules.get(rule.id)).rejects.toBeInstanceOf(NotFoundError);

    // suppressions
    const blocked = await owner.suppressions.create({ email: "Bad-Address@Example.com", note: "Customer requested removal" });
    expect(blocked).toMatchObject({ email: "bad-address@example.com", reason: "manual", note: "Customer requested removal" });
    expect((await owner.suppressions.create({ email: "bad-address@example.com" })).id).toBe(blocked.id);
    await owner.suppressions.create({ email: "bounced@example.com", reason: "bounce" });
    expect((await owner.suppressions.list({ reason: "bounce" })).data.map((s) => s.email)).toEqual(["bounced@example.com"]);
    expect((await owner.suppressions.list({ email: "bad-address" })).data.map((s) => s.id)).toEqual([blocked.id]);
    expect(await collect(owner.suppressions.listAll({ perPage: 1 }))).toHaveLength(2);
    const live = sdk(baseURL!, clientAddress, { apiKey: (await owner.apiKeys.create({ name: "sender" })).key });
    const { email: suppressed } = await live.emails.send({ from: "hello@yourapp.com", to: "bad-address@example.com", subject: "Blocked", text: "x" });
    expect((await eventually(() => live.emails.get(suppressed.id), (e) => e.status !== "queued")).status).toBe("suppressed");
    await owner.suppressions.delete(blocked.id);
    expect((await owner.suppressions.list({ email: "bad-address" })).pagination.total).toBe(0);

    // emails (live, through the SendGrid emulator) and analytics
    const { email: sent } = await live.emails.send({
      from: "hello@yourapp.com",
      fromName: "Your App",
      to: "alice@example.com",
      toName: "Alice",
      replyTo: "support@yourapp.com",
      subject: "Welcome to Your App",
      html: "<h1>Welcome, Alice!</h1>",
      text: "Welcome, Alice!",
      tags: ["welcome", "onboarding"],
      metadata: { user_id: "usr_123" },
      attachments: [{ filename: "hello.txt", content: Buffer.from("hello"), contentType: "text/plain" }],
    });
    expect(sent).toMatchObject({ status: "queued", from_name: "Your App", to_name: "Alice", reply_to: "support@yourapp.com", tags: ["welcome", "onboarding"], metadata: { user_id: "usr_123" } });
    const done = await eventually(() => live.emails.get(sent.id), (e) => e.status === "sent");
    expect(done).toMatchObject({ html_body: "<h1>Welcome, Alice!</h1>", text_body: "Welcome, Alice!", attachments: [{ filename: "hello.txt", content_type: "text/plain", size: 5 }] });
    expect(done.events.map((e) => e.event_type)).toEqual(["queued", "sent"]);
    // SendGrid's priority went to 5 above: Postmark (2) is tried first now.
    expect(done.provider).toBe("postmark");
    const listed = await live.emails.list({ recipient: "alice", from: new Date(Date.now() - 3_600_000) });
    expect(listed.data.map((e) => e.id)).toEqual([sent.id]);
    const metrics = await owner.analytics.metrics({ period: "7d" });
    expect(metrics).toMatchObject({ period: "7d", test: false });
    expect(metrics.daily).toHaveLength(7);
    expect(Object.keys(metrics.rates)).toEqual(expect.arrayContaining(["delivery_rate", "bounce_rate"]));
    const today = new Date().toISOString().slice(0, 10);
    const usage = await eventually(
      () => owner.analytics.usage({ from: today, to: today }),
      (u) => (u.days.find((d) => d.provider === done.provider)?.sent ?? 0) >= 1,
      10_000,
    );
    expect(usage).toMatchObject({ from: today, to: today, test: false });

    // providerConnections.delete last: the sends above went through it.
    await owner.providerConnections.delete(postmark.id);
    await expect(owner.providerConnections.get(postmark.id)).rejects.toBeInstanceOf(NotFoundError);
  });

  test("sendBatch with a bad item among good ones; a scheduled email canceled before it goes", async ({ baseURL, clientAddress, seedTenant }) => {
    const tenant = await seedTenant({ signIn: false });
    const { sandbox } = await tenantClients(tenant, baseURL!, clientAddress);
    const item = (to: string) => ({ from: "hello@yourapp.com", to, subject: "Batch", text: "x" });
    const { data } = await sandbox.emails.sendBatch([item("one@example.com"), item("not-an-address"), item("two@example.com")]);
    expect(data.map((r) => [r.index, r.status])).toEqual([
      [0, 202],
      [1, 422],
      [2, 202],
    ]);
    const [first, bad, third] = data;
    expect(bad!.status === 422 && bad!.errors).toEqual([expect.stringMatching(/^to_email /)]);
    for (const result of [first!, third!]) {
      if (result.status !== 202) throw new Error("expected an accepted item");
      expect(result.email.status).toBe("queued");
      expect((await sandbox.emails.get(result.email.id)).to_email).toBe(result.index === 0 ? "one@example.com" : "two@example.com");
    }

    const at = new Date(Date.now() + 10 * 60_000);
    at.setMilliseconds(0);
    const { email: scheduled } = await sandbox.emails.send({ ...item("later@example.com"), scheduledAt: at });
    expect(scheduled).toMatchObject({ status: "queued", scheduled_at: at.toISOString() });
    const canceled = await sandbox.emails.cancel(scheduled.id);
    expect(canceled).toMatchObject({ id: scheduled.id, status: "canceled" });
    expect(canceled.canceled_at).not.toBeNull();
    expect((await sandbox.emails.get(scheduled.id)).events.map((e) => e.event_type)).toContain("canceled");
    const again = await caught(sandbox.emails.cancel(scheduled.id));
    expect(again).toBeInstanceOf(ConflictError);
    expect(again.status).toBe(409);
    expect((await sandbox.emails.list({ status: "canceled" })).data.map((e) => e.id)).toEqual([scheduled.id]);
    // In the past: refused.
    const past = await caught(sandbox.emails.send({ ...item("past@example.com"), scheduledAt: new Date(Date.now() - 3_600_000) }));
    expect(past).toBeInstanceOf(ValidationError);
    expect(past.errors).toEqual([expect.stringMatching(/^scheduled_at /)]);
  });

  test("per-message routing and a provider override: the named connection only, with the override in its request", async ({ baseURL, clientAddress, seedTenant, emulators }) => {
    const tenant = await seedTenant({ signIn: false });
    const { owner, live } = await tenantClients(tenant, baseURL!, clientAddress);
    await owner.providerConnections.create(emulatorConnection(emulators, "sendgrid", { displayName: "SendGrid Primary", priority: 1 }));
    const postmark = await owner.providerConnections.create(emulatorConnection(emulators, "postmark", { displayName: "Postmark Receipts", priority: 2 }));
    const mailSends = (provider: "sendgrid" | "postmark") => emulators.http.requests(provider).filter((r) => r.method === "POST" && /\/(v3\/mail\/send|email)$/.test(r.path));

    const { email } = await live.emails.send({
      from: "hello@yourapp.com",
      to: "receipt@example.com",
      subject: "Your receipt",
      text: "Thanks!",
      routing: { connections: [postmark.id] },
      providerOverrides: { postmark: { body: { MessageStream: "receipts", Tag: "receipt" } }, sendgrid: { body: { categories: ["never-used"] } } },
    });
    const sent = await eventually(() => live.emails.get(email.id), (e) => e.status === "sent");
    expect(sent.provider).toBe("postmark");
    expect(mailSends("sendgrid")).toHaveLength(0);
    expect(mailSends("postmark").map((r) => r.json)).toEqual([expect.objectContaining({ MessageStream: "receipts", Tag: "receipt", To: "receipt@example.com" })]);

    // Refused before anything is stored: a recipient-changing field, and a provider this account has not connected.
    const envelope = await caught(live.emails.send({ from: "hello@yourapp.com", to: "a@example.com", subject: "x", text: "x", providerOverrides: { postmark: { body: { Bcc: "spy@example.com" } } } }));
    expect(envelope).toBeInstanceOf(ValidationError);
    expect((envelope as ValidationError).errors.join()).toContain("provider_overrides.postmark.body.Bcc is not allowed");
    const unrouted = await caught(live.emails.send({ from: "hello@yourapp.com", to: "a@example.com", subject: "x", text: "x", routing: { connections: ["mailgun"] } }));
    expect((unrouted as ValidationError).errors).toEqual(["routing.connections.0 names mailgun, which this account has not connected"]);
    expect((await live.emails.list()).pagination.total).toBe(1);
  });

  test("listAll iterates every page; list reports the pagination headers", async ({ baseURL, clientAddress, seedTenant }) => {
    const tenant = await seedTenant({ signIn: false });
    const { sandbox } = await tenantClients(tenant, baseURL!, clientAddress);
    const batch = randomUUID().slice(0, 8);
    const ids: string[] = [];
    for (let i = 0; i < 25; i++) {
      const { email } = await sandbox.emails.send({ from: "hello@yourapp.com", to: `page-${batch}-${i}@example.com`, subject: `Page ${i}`, text: "x" });
      ids.push(email.id);
    }
    const first = await sandbox.emails.list({ perPage: 10 });
    expect(first.pagination).toEqual({ page: 1, perPage: 10, total: 25, totalPages: 3 });
    expect(first.data).toHaveLength(10);
    // Newest first: the last sent leads page 1.
    expect(first.data[0]!.id).toBe(ids[24]);
    const third = await sandbox.emails.list({ perPage: 10, page: 3 });
    expect(third.data).toHaveLength(5);
    expect(third.pagination.page).toBe(3);

    const walked: string[] = [];
    for await (const email of sandbox.emails.listAll({ perPage: 10 })) walked.push(email.id);
    expect(walked).toEqual([...ids].reverse());
    // Filters carry through every page; starting later skips the earlier pages.
    expect(await collect(sandbox.emails.listAll({ recipient: `page-${batch}-1`, perPage: 4 }))).toHaveLength(11);
    expect(await collect(sandbox.emails.listAll({ perPage: 10, page: 2 }))).toHaveLength(15);
  });

  test("typed errors: 401, 403, 404, 422 with errors[], no connection", async ({ baseURL, clientAddress, seedTenant }) => {
    const tenant = await seedTenant({ signIn: false });
    const { sandbox, live } = await tenantClients(tenant, baseURL!, clientAddress);

    const bad = await caught(sdk(baseURL!, clientAddress, { apiKey: "cxk_live_not-a-real-key" }).emails.list());
    expect(bad).toBeInstanceOf(AuthenticationError);
    expect(bad).toMatchObject({ status: 401, message: "Unauthorized", errors: ["Unauthorized"] });
    expect(bad.requestId).toMatch(/^[0-9a-f-]{36}$/);

    const missing = await caught(live.emails.get(randomUUID()));
    expect(missing).toBeInstanceOf(NotFoundError);
    expect(missing).toMatchObject({ status: 404, message: "Not found" });

    const invalid = await caught(live.emails.send({ from: "hello@yourapp.com", to: "not-an-address", subject: " ", html: "<p>x</p>" }));
    expect(invalid).toBeInstanceOf(ValidationError);
    expect(invalid.status).toBe(422);
    expect(invalid.errors).toEqual(expect.arrayContaining([expect.stringMatching(/^to_email /), expect.stringMatching(/^subject /)]));
    expect(invalid.message).toBe(invalid.errors.join("; "));

    const forbidden = await caught(sandbox.domains.create({ domain: "mail.yourapp.com" }));
    expect(forbidden).toBeInstanceOf(PermissionError);
    expect(forbidden).toMatchObject({ status: 403, errors: ["Test keys cannot change configuration"] });

    // Nothing listens there: after its retries the client reports no answer.
    const nowhere = await caught(sdk("http://127.0.0.1:9", clientAddress, { apiKey: "cxk_live_x", maxRetries: 1 }).emails.list());
    expect(nowhere).toBeInstanceOf(ConnectionError);
    expect(nowhere.status).toBeUndefined();
  });
});

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

async function caught(promise: Promise<unknown>): Promise<import("@courierx/node").CourierXError> {
  try {
    await promise;
  } catch (error) {
    return error as import("@courierx/node").CourierXError;
  }
  throw new Error("expected a rejection");
}
