/**
 * POST /api/v1/emails/batch through the real stack: each item validated and accepted on its own (one bad
 * item answers its own 422 and stops nothing), results in order, idempotent per item (its own
 * metadata.idempotency_key, or the request's Idempotency-Key header and its index), and every accepted
 * email sent through the provider emulator exactly once.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/server/db";
import { api, signUp } from "../../helpers/api";
import { connect, emailBody, startSendingStack, waitForFinal, type SendingStack } from "../../helpers/sending";

let stack: SendingStack;
beforeAll(async () => {
  stack = await startSendingStack();
});
afterAll(async () => stack.stop());

async function liveTenant() {
  const tenant = await signUp();
  await connect(tenant.apiKey, stack.emulators, "postmark");
  return tenant;
}

describe("POST /api/v1/emails/batch", () => {
  it("answers one result per item in order: valid ones accepted and sent, invalid ones 422 with their own errors", async () => {
    const { apiKey, tenantId } = await liveTenant();
    const before = stack.emulators.http.stats("postmark").accepted;
    const emails = [
      emailBody({ subject: "first" }),
      emailBody({ from_email: "not-an-address" }),
      emailBody({ subject: "third", metadata: { user_id: "u3" } }),
      "just a string",
      emailBody({ subject: "nul \u0000 inside" }),
      emailBody({ subject: "sixth", unknown_field: 1 }),
      emailBody({ subject: "seventh" }),
    ];
    const res = await api.post("/api/v1/emails/batch", { emails }, { token: apiKey });
    expect(res.status).toBe(202);
    expect(res.headers.get("x-ratelimit-limit")).toBeTruthy();
    const data = res.body.data as any[];
    expect(data.map((r) => [r.index, r.status])).toEqual([
      [0, 202],
      [1, 422],
      [2, 202],
      [3, 422],
      [4, 422],
      [5, 422],
      [6, 202],
    ]);
    expect(data[1].errors).toEqual(["from_email is not a valid email address"]);
    expect(data[3].errors).toEqual(["Invalid input: expected object, received string"]);
    expect(data[4].errors).toEqual(["subject must not contain NUL characters or unpaired UTF-16 surrogates"]);
    expect(data[5].errors).toEqual(["Unknown field: unknown_field"]);
    expect(data.filter((r) => r.status === 202).map((r) => [r.email.subject, r.email.status, r.replayed])).toEqual([
      ["first", "queued", false],
      ["third", "queued", false],
      ["seventh", "queued", false],
    ]);
    expect(data[2].email.metadata).toEqual({ user_id: "u3" });
    expect(data[0].email.warnings).toEqual([]);

    // Only the valid ones exist, each with its queued event, and each goes out once.
    const db = await getDb();
    const stored = await db.email.findMany({ where: { tenantId }, include: { events: true } });
    expect(stored.map((e) => e.subject).sort()).toEqual(["first", "seventh", "third"]);
    expect(stored.every((e) => e.events.some((ev) => ev.type === "queued"))).toBe(true);
    for (const item of data.filter((r) => r.status === 202)) expect((await waitForFinal(apiKey, item.email.id)).status).toBe("sent");
    await stack.engine.drain({ timeoutMs: 10_000 });
    expect(stack.emulators.http.stats("postmark").accepted - before).toBe(3);
  });

  it("replays a batch idempotently: the same items answer the same emails, nothing is stored or sent twice", async () => {
    const { apiKey, tenantId } = await liveTenant();
    const before = stack.emulators.http.stats("postmark").accepted;
    const own = [emailBody({ metadata: { idempotency_key: "order-1" } }), emailBody({ metadata: { idempotency_key: "order-2" } }), emailBody({ from_email: "bad" })];
    const first = await api.post("/api/v1/emails/batch", { emails: own }, { token: apiKey });
    const again = await api.post("/api/v1/emails/batch", { emails: own }, { token: apiKey });
    expect(first.status).toBe(202);
    expect(again.body.data.map((r: any) => r.email?.id)).toEqual(first.body.data.map((r: any) => r.email?.id));
    expect(again.body.data.map((r: any) => r.replayed)).toEqual([true, true, undefined]);
    expect(again.body.data[2].status).toBe(422);

    // The request's Idempotency-Key keys the items without a key of their own as <key>:<index>.
    const keyless = [emailBody(), emailBody({ metadata: { idempotency_key: "order-3" } })];
    const headers = { "idempotency-key": "batch-42" };
    const h1 = await api.post("/api/v1/emails/batch", { emails: keyless }, { token: apiKey, headers });
    const h2 = await api.post("/api/v1/emails/batch", { emails: keyless }, { token: apiKey, headers });
    expect(h2.body.data.map((r: any) => r.email.id)).toEqual(h1.body.data.map((r: any) => r.email.id));
    expect(h2.body.data.every((r: any) => r.replayed)).toBe(true);
    expect(h1.body.data.map((r: any) => r.email.metadata.idempotency_key)).toEqual(["batch-42:0", "order-3"]);
    const otherKey = await api.post("/api/v1/emails/batch", { emails: [emailBody()] }, { token: apiKey, headers: { "idempotency-key": "batch-43" } });
    expect(otherKey.body.data[0].replayed).toBe(false);

    // Two items of one batch with one key are one email.
    const twice = emailBody({ metadata: { idempotency_key: "dup" } });
    const dup = await api.post("/api/v1/emails/batch", { emails: [twice, twice] }, { token: apiKey });
    expect(dup.body.data[0].email.id).toBe(dup.body.data[1].email.id);
    expect(dup.body.data.map((r: any) => r.replayed)).toEqual([false, true]);

    // The batch's keys are the single send's keys too.
    const single = await api.post("/api/v1/emails", own[0], { token: apiKey });
    expect(single.body.id).toBe(first.body.data[0].email.id);
    expect(single.headers.get("idempotent-replayed")).toBe("true");

    const db = await getDb();
    expect(await db.email.count({ where: { tenantId } })).toBe(2 + 2 + 1 + 1);
    await stack.engine.drain({ timeoutMs: 15_000 });
    expect(stack.emulators.http.stats("postmark").accepted - before).toBe(6);
  });

  it("refuses the whole request for a bad envelope: not an array, empty, over 100 emails, a bad Idempotency-Key", async () => {
    const { apiKey, tenantId } = await liveTenant();
    const cases: [unknown, string[]][] = [
      [{ emails: emailBody() }, ["emails must be an array of emails"]],
      [{}, ["emails is required"]],
      [{ emails: [] }, ["emails must contain at least one email"]],
      [{ emails: Array.from({ length: 101 }, () => emailBody()) }, ["emails must contain at most 100 emails"]],
      [{ emails: [emailBody()], extra: true }, ["Unknown field: extra"]],
    ];
    for (const [body, errors] of cases) {
      const res = await api.post("/api/v1/emails/batch", body, { token: apiKey });
      expect(res.status, JSON.stringify(errors)).toBe(422);
      expect(res.body).toEqual({ errors });
    }
    const badKey = await api.post("/api/v1/emails/batch", { emails: [emailBody()] }, { token: apiKey, headers: { "idempotency-key": "k".repeat(241) } });
    expect(badKey.body).toEqual({ errors: ["Idempotency-Key header must be at most 240 characters"] });
    const hundred = await api.post("/api/v1/emails/batch", { emails: Array.from({ length: 100 }, () => emailBody({ to_email: "someone@example.com" })) }, { token: apiKey });
    expect(hundred.status).toBe(202);
    expect(hundred.body.data).toHaveLength(100);
    expect(hundred.body.data.every((r: any, i: number) => r.index === i && r.status === 202)).toBe(true);
    const db = await getDb();
    expect(await db.email.count({ where: { tenantId } })).toBe(100);
    await stack.engine.drain({ timeoutMs: 30_000 });
  });

  it("follows the single send's rules per item: suppressions, test keys in the sandbox, no auth, other tenants apart", async () => {
    const { apiKey, token } = await liveTenant();
    await api.post("/api/v1/suppressions", { email: "blocked@example.com", reason: "manual" }, { token: apiKey });
    const res = await api.post("/api/v1/emails/batch", { emails: [emailBody({ to_email: "blocked@example.com" }), emailBody()] }, { token: apiKey });
    expect(res.status).toBe(202);
    expect((await waitForFinal(apiKey, res.body.data[0].email.id)).status).toBe("suppressed");
    expect((await waitForFinal(apiKey, res.body.data[1].email.id)).status).toBe("sent");

    const test = await api.post("/api/v1/api_keys", { name: "test", mode: "test" }, { token });
    const sandbox = await api.post("/api/v1/emails/batch", { emails: [emailBody({ to_email: "delivered@sandbox.courierx.dev" })] }, { token: test.body.raw_key });
    expect(sandbox.status).toBe(202);
    expect(sandbox.body.data[0].email.test).toBe(true);
    expect((await waitForFinal(test.body.raw_key, sandbox.body.data[0].email.id)).status).toMatch(/sent|delivered/);

    expect((await api.post("/api/v1/emails/batch", { emails: [emailBody()] })).status).toBe(401);
    const other = await signUp("Other");
    const theirs = await api.get(`/api/v1/emails/${res.body.data[1].email.id}`, { token: other.apiKey });
    expect(theirs.status).toBe(404);
  });
});
