/**
 * What the dashboard receives over HTTP (the real fetch handler): validation errors with field errors for
 * forms (relative to the form, also for an update's `data`), AppError codes as tRPC codes and statuses, no
 * stack or internal detail; and the same snake_case shapes as the REST API, since both use the presenters.
 */
import { describe, expect, it, vi } from "vitest";
import { env } from "@/server/env";
import { api } from "../../helpers/api";
import { addUser, callerFor, signUpOwner, trpcHttp } from "../../helpers/trpc";

describe("tRPC errors", () => {
  it("answers invalid input BAD_REQUEST (400) with the REST messages and field errors", async () => {
    const { session } = await signUpOwner();
    const res = await trpcHttp(session, "apiKeys.create", { name: "", mode: "staging" }, "mutation");
    expect(res.status).toBe(400);
    expect(res.body.error.data).toMatchObject({
      code: "BAD_REQUEST",
      httpStatus: 400,
      errors: expect.arrayContaining(["name can't be blank", "mode must be one of: live, test"]),
      fieldErrors: { name: ["name can't be blank"], mode: ["mode must be one of: live, test"] },
    });
    expect(res.body.error.data.stack).toBeUndefined();
    expect(res.body.error.message).toContain("name can't be blank");
  });

  it("names an update's fields without the data wrapper", async () => {
    const owner = await signUpOwner();
    const endpoint = await callerFor(owner.session).webhookEndpoints.create({ url: "https://hooks.localhost/x" });
    const res = await trpcHttp(owner.session, "webhookEndpoints.update", { id: endpoint.id, data: { active: "yes" } }, "mutation");
    expect(res.status).toBe(400);
    expect(Object.keys(res.body.error.data.fieldErrors)).toEqual(["active"]);
    expect(res.body.error.data.errors[0]).toMatch(/^active /);
  });

  it("gives a service's validation error (AppError) as BAD_REQUEST with its messages", async () => {
    const owner = await signUpOwner();
    // A routing rule naming a connection that does not exist: the service refuses it, not the schema.
    const res = await trpcHttp(owner.session, "routingRules.create", { name: "R", providers: [{ connection_id: "00000000-0000-4000-8000-000000000000" }] }, "mutation");
    const rest = await api.post("/api/v1/routing_rules", { name: "R", providers: [{ connection_id: "00000000-0000-4000-8000-000000000000" }] }, { token: owner.token });
    expect(rest.status).toBe(422);
    expect(res.status).toBe(400);
    expect(res.body.error.data.errors).toEqual(rest.body.errors);
  });

  it("answers text PostgreSQL cannot store BAD_REQUEST before any service runs", async () => {
    const owner = await signUpOwner();
    const res = await trpcHttp(owner.session, "apiKeys.create", { name: "nul\u0000byte" }, "mutation");
    expect(res.status).toBe(400);
    expect(res.body.error.data.code).toBe("BAD_REQUEST");
    expect((await callerFor(owner.session).apiKeys.list({})).total).toBe(1);
  });

  it("maps not found, forbidden and unauthorized to their statuses over HTTP", async () => {
    const owner = await signUpOwner();
    expect((await trpcHttp(owner.session, "domains.get", { id: "00000000-0000-4000-8000-000000000000" }, "query")).status).toBe(404);
    expect((await trpcHttp(null, "account.me", undefined, "query")).status).toBe(401);
    const member = await addUser(owner.session.tenantId, "member");
    const refused = await trpcHttp(member, "apiKeys.create", { name: "x" }, "mutation");
    expect(refused.status).toBe(403);
    expect(refused.body.error).toMatchObject({ message: "Only owners and admins can change configuration", data: { code: "FORBIDDEN" } });
    const res = await trpcHttp(null, "domains.list", {}, "query");
    expect(res.body.error).toMatchObject({ message: "Unauthorized", data: { code: "UNAUTHORIZED" } });
  });
});

describe("tRPC rate limit", () => {
  it("counts a signed-in user's calls in the same window as their REST session requests: past the limit, TOO_MANY_REQUESTS (429) with retryAfter", async () => {
    const limit = env.RATE_LIMIT_PER_MINUTE;
    // Mid-minute on a frozen clock: the window does not end during the test.
    vi.useFakeTimers({ toFake: ["Date"], now: Math.floor(Date.now() / 60_000) * 60_000 + 30_000 });
    try {
      const owner = await signUpOwner();
      // Signing up used two requests of the owner's session (creating the API key, reading auth/me).
      env.RATE_LIMIT_PER_MINUTE = 6;
      expect((await trpcHttp(owner.session, "account.me", undefined, "query")).status).toBe(200);
      expect((await trpcHttp(owner.session, "domains.list", {}, "query")).status).toBe(200);
      // The REST session JWT of the same user shares the window.
      expect((await api.get("/api/v1/auth/me", { token: owner.token })).status).toBe(200);
      expect((await trpcHttp(owner.session, "domains.list", {}, "query")).status).toBe(200);
      const limited = await trpcHttp(owner.session, "domains.list", {}, "query");
      expect(limited.status).toBe(429);
      expect(limited.body.error).toMatchObject({ message: "Rate limit exceeded", data: { code: "TOO_MANY_REQUESTS", retryAfter: 30 } });
      expect((await api.get("/api/v1/auth/me", { token: owner.token })).status).toBe(429);
      // Another user of the same tenant has a window of their own.
      expect((await trpcHttp(await addUser(owner.session.tenantId, "member"), "domains.list", {}, "query")).status).toBe(200);
    } finally {
      env.RATE_LIMIT_PER_MINUTE = limit;
      vi.useRealTimers();
    }
  });
});

describe("tRPC shapes", () => {
  it("returns what the REST API returns for the same rows", async () => {
    const owner = await signUpOwner();
    const caller = callerFor(owner.session);
    const domain = await caller.domains.create({ domain: "shapes.example.com" });
    const endpoint = await caller.webhookEndpoints.create({ url: "https://user:pw@hooks.localhost/x" });
    expect(endpoint.url).toBe("https://user:pw@hooks.localhost/x");
    expect(endpoint.secret).toMatch(/^whsec_/);
    expect(await caller.domains.get({ id: domain.id })).toEqual((await api.get(`/api/v1/domains/${domain.id}`, { token: owner.token })).body);
    const restEndpoint = (await api.get(`/api/v1/webhook_endpoints/${endpoint.id}`, { token: owner.token })).body;
    expect(await caller.webhookEndpoints.get({ id: endpoint.id })).toEqual(restEndpoint);
    expect(restEndpoint.url).not.toContain("pw");
    const keys = await caller.apiKeys.list({ per_page: 10 });
    expect(keys).toMatchObject({ total: 1, page: 1, per_page: 10 });
    expect(keys.items).toEqual((await api.get("/api/v1/api_keys", { token: owner.token })).body);
    const me = await caller.account.me();
    expect(me).toMatchObject({ account: { id: owner.session.tenantId }, user: { id: owner.session.userId, role: "owner" }, authenticated_with: { type: "session" } });
  });
});
