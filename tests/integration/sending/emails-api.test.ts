import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/server/db";
import { api, signUp } from "../../helpers/api";
import { connect, emailBody, startSendingStack, waitForFinal, type SendingStack } from "../../helpers/sending";

let stack: SendingStack;
beforeAll(async () => {
  stack = await startSendingStack();
});
afterAll(async () => stack.stop());

describe("POST /api/v1/emails validation", () => {
  it("answers 202 with the seed's shape", async () => {
    const { apiKey } = await signUp();
    const res = await api.post("/api/v1/emails", emailBody({ tags: ["welcome", "onboarding"] }), { token: apiKey });
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({ id: expect.stringMatching(/^[0-9a-f-]{36}$/), from_email: "hello@yourapp.com", subject: expect.any(String), status: "queued", tags: ["welcome", "onboarding"] });
    expect(Date.parse(res.body.queued_at)).not.toBeNaN();
    expect(Date.parse(res.body.created_at)).not.toBeNaN();
    expect(res.headers.get("x-ratelimit-limit")).toBeTruthy();
  });

  it("names every problem in one 422 and stores nothing", async () => {
    const { apiKey } = await signUp();
    const res = await api.post("/api/v1/emails", { from_email: "not-an-address", to_email: "", subject: "", tags: "x" }, { token: apiKey });
    expect(res.status).toBe(422);
    expect(res.body.errors).toEqual(expect.arrayContaining(["from_email is not a valid email address", "to_email can't be blank", "subject can't be blank", "tags must be an array of strings"]));
    const noBody = await api.post("/api/v1/emails", emailBody({ html_body: undefined, text_body: "  " }), { token: apiKey });
    expect(noBody.body.errors).toEqual(["html_body or text_body is required"]);
    const injection = await api.post("/api/v1/emails", emailBody({ subject: "Hi\r\nBcc: victim@example.com" }), { token: apiKey });
    expect(injection.body.errors).toEqual(["subject must be a single line"]);
    const reserved = await api.post("/api/v1/emails", emailBody({ headers: { Bcc: "x@example.com" } }), { token: apiKey });
    expect(reserved.body.errors[0]).toMatch(/^headers\.Bcc names may not override/);
    const tooManyTags = await api.post("/api/v1/emails", emailBody({ tags: Array.from({ length: 11 }, (_, i) => `t${i}`) }), { token: apiKey });
    expect(tooManyTags.body.errors).toEqual(["tags must have at most 10 tags"]);
    const badAttachment = await api.post("/api/v1/emails", emailBody({ attachments: [{ filename: "../etc/passwd", content: "%%%" }] }), { token: apiKey });
    expect(badAttachment.body.errors).toEqual(["attachments.0.filename must be a file name, not a path", "attachments.0.content must be base64"]);
    const big = Buffer.alloc(8 * 1024 * 1024, 1).toString("base64");
    const tooBig = await api.post("/api/v1/emails", emailBody({ attachments: [{ filename: "big.bin", content: big }] }), { token: apiKey });
    expect(tooBig.body.errors).toEqual(["attachments must be at most 7 MB in total"]);
    const list = await api.get("/api/v1/emails", { token: apiKey });
    expect(list.body).toEqual([]);
  });

  it("accepts attachments and custom headers and shows attachment metadata, not content", async () => {
    const { apiKey } = await signUp();
    await connect(apiKey, stack.emulators, "sendgrid");
    const content = Buffer.from("hello attachment").toString("base64");
    const res = await api.post("/api/v1/emails", emailBody({ attachments: [{ filename: "a.txt", content, content_type: "text/plain" }], headers: { "X-Campaign": "spring" }, metadata: { user_id: "usr_123" } }), { token: apiKey });
    expect(res.status).toBe(202);
    const done = await waitForFinal(apiKey, res.body.id);
    expect(done.status).toBe("sent");
    expect(done.attachments).toEqual([{ filename: "a.txt", content_type: "text/plain", size: 16 }]);
    expect(done.headers).toEqual({ "X-Campaign": "spring" });
    expect(done.metadata).toEqual({ user_id: "usr_123" });
    expect(JSON.stringify(done)).not.toContain(content);
  });
});

describe("idempotency", () => {
  it("returns the original email for the same key, also under 20 concurrent requests: one email, one provider call", async () => {
    const { apiKey } = await signUp();
    await connect(apiKey, stack.emulators, "postmark");
    const before = stack.emulators.http.stats("postmark").accepted;
    const body = emailBody({ metadata: { idempotency_key: "order-confirmation-1234" } });
    const results = await Promise.all(Array.from({ length: 20 }, () => api.post("/api/v1/emails", body, { token: apiKey })));
    expect(results.every((r) => r.status === 202)).toBe(true);
    const ids = new Set(results.map((r) => r.body.id));
    expect(ids.size).toBe(1);
    expect(results.filter((r) => r.headers.get("idempotent-replayed") === "true")).toHaveLength(19);
    const [id] = ids;
    const done = await waitForFinal(apiKey, id!);
    expect(done.status).toBe("sent");
    await stack.engine.drain({ timeoutMs: 10_000 });
    expect(stack.emulators.http.stats("postmark").accepted - before).toBe(1);
    const later = await api.post("/api/v1/emails", body, { token: apiKey });
    expect(later.body.id).toBe(id);
    expect(later.body.status).toBe("sent");
    const db = await getDb();
    expect(await db.email.count({ where: { idempotencyKey: "order-confirmation-1234" } })).toBe(1);
  });

  it("frees a key after 24 hours, and keys are per tenant", async () => {
    const a = await signUp();
    const b = await signUp();
    const body = emailBody({ metadata: { idempotency_key: "k-1" } });
    const first = await api.post("/api/v1/emails", body, { token: a.apiKey });
    const otherTenant = await api.post("/api/v1/emails", body, { token: b.apiKey });
    expect(otherTenant.body.id).not.toBe(first.body.id);
    const db = await getDb();
    await db.email.update({ where: { id: first.body.id }, data: { createdAt: new Date(Date.now() - 25 * 3600_000) } });
    const again = await api.post("/api/v1/emails", body, { token: a.apiKey });
    expect(again.status).toBe(202);
    expect(again.body.id).not.toBe(first.body.id);
    expect(again.headers.get("idempotent-replayed")).toBeNull();
  });
});

describe("GET /api/v1/emails", () => {
  it("filters by status, recipient (partial, case-insensitive), date range and test flag, with pagination headers", async () => {
    const { apiKey } = await signUp();
    await connect(apiKey, stack.emulators, "sendgrid");
    const alice = await api.post("/api/v1/emails", emailBody({ to_email: "Alice.Smith@Example.com" }), { token: apiKey });
    const bob = await api.post("/api/v1/emails", emailBody({ to_email: "bob@example.com" }), { token: apiKey });
    await stack.emulators.fail("sendgrid", "invalid_recipient");
    const carol = await api.post("/api/v1/emails", emailBody({ to_email: "carol@example.com" }), { token: apiKey });
    for (const e of [alice, bob, carol]) await waitForFinal(apiKey, e.body.id);
    const statuses = new Map((await Promise.all([alice, bob, carol].map((e) => api.get(`/api/v1/emails/${e.body.id}`, { token: apiKey })))).map((r) => [r.body.id, r.body.status]));
    const failedId = [...statuses].find(([, s]) => s === "failed")?.[0];
    expect(failedId).toBeDefined();

    const byRecipient = await api.get("/api/v1/emails?recipient=ALICE", { token: apiKey });
    expect(byRecipient.body.map((e: any) => e.id)).toEqual([alice.body.id]);
    expect(byRecipient.body[0].to_email).toBe("alice.smith@example.com");
    const failed = await api.get("/api/v1/emails?status=failed", { token: apiKey });
    expect(failed.body.map((e: any) => e.id)).toEqual([failedId]);
    const sent = await api.get("/api/v1/emails?status=sent", { token: apiKey });
    expect(sent.headers.get("x-total-count")).toBe("2");
    const today = new Date().toISOString().slice(0, 10);
    expect((await api.get(`/api/v1/emails?from=${today}&to=${today}`, { token: apiKey })).headers.get("x-total-count")).toBe("3");
    expect((await api.get("/api/v1/emails?to=2020-01-01", { token: apiKey })).body).toEqual([]);
    expect((await api.get("/api/v1/emails?from=2030-01-01&to=2020-01-01", { token: apiKey })).body).toEqual({ errors: ["from must be before to"] });
    expect((await api.get("/api/v1/emails?status=lost", { token: apiKey })).status).toBe(422);
    const page = await api.get("/api/v1/emails?per_page=2&page=1", { token: apiKey });
    expect(page.body).toHaveLength(2);
    expect(page.headers.get("x-total-count")).toBe("3");
    expect(page.headers.get("x-per-page")).toBe("2");
    expect(page.body[0].id).toBe(carol.body.id);
  });

  it("isolates tenants: another tenant's email is 404 and never listed", async () => {
    const a = await signUp();
    const b = await signUp();
    const sent = await api.post("/api/v1/emails", emailBody(), { token: a.apiKey });
    expect((await api.get(`/api/v1/emails/${sent.body.id}`, { token: b.apiKey })).status).toBe(404);
    expect((await api.get("/api/v1/emails", { token: b.apiKey })).body).toEqual([]);
    expect((await api.get(`/api/v1/emails/${sent.body.id}`, { token: a.apiKey })).status).toBe(200);
  });
});
