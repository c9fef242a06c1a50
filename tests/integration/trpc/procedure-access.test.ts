/**
 * The procedure ladder, walked over every procedure of the router (world.ts has one case per procedure):
 * another tenant's session gets NOT_FOUND for every procedure that takes an id and changes nothing; a
 * member can run every query and gets FORBIDDEN for every mutation; no session (or a session the database
 * no longer backs) is UNAUTHORIZED everywhere.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/server/db";
import { addUser, callerFor, sessionOf, signUpOwner } from "../../helpers/trpc";
import { buildWorld, CASES, outcome, procedures, PUBLIC_PROCEDURES, SELF_SERVICE_MUTATIONS, type World } from "./world";

let world: World;
beforeAll(async () => {
  world = await buildWorld();
});

function expectAll(results: Record<string, string>, code: string) {
  expect(results).toEqual(Object.fromEntries(Object.keys(results).map((path) => [path, code])));
}

describe("tRPC procedure access", () => {
  it("has a case for every procedure of the router, and none for a procedure that does not exist", () => {
    expect(procedures().map((p) => p.path)).toEqual(Object.keys(CASES).sort());
    expect(procedures().filter((p) => p.takesId).length).toBeGreaterThanOrEqual(20);
  });

  it("answers another tenant's session NOT_FOUND for every procedure that takes an id, and changes nothing", async () => {
    const other = await signUpOwner("Tenant B");
    const results: Record<string, string> = {};
    for (const p of procedures().filter((p) => p.takesId)) results[p.path] = await outcome(other.session, p.path, CASES[p.path]!(world));
    expectAll(results, "NOT_FOUND");

    // Its own endpoint with tenant A's delivery: the delivery must be the endpoint's.
    const own = await callerFor(other.session).webhookEndpoints.create({ url: "https://hooks.localhost/b" });
    expect(await outcome(other.session, "webhookEndpoints.replay", { id: own.id, deliveryId: world.deliveryId })).toBe("NOT_FOUND");

    // Tenant A's rows are all still there, unchanged.
    const a = callerFor(world.owner.session);
    expect((await a.providerConnections.get({ id: world.connectionId })).display_name).not.toBe("Renamed");
    expect((await a.routingRules.get({ id: world.ruleId })).name).toBe("Everything");
    expect((await a.webhookEndpoints.get({ id: world.endpointId })).description).toBeNull();
    await a.domains.get({ id: world.domainId });
    await a.emails.get({ id: world.emailId });
    expect((await a.apiKeys.list({})).items.find((k) => k.id === world.apiKeyId)?.revoked_at).toBeNull();
    expect((await a.suppressions.list({})).items.map((s) => s.id)).toContain(world.suppressionId);
  });

  it("answers ids that are not UUIDs NOT_FOUND, not a server error", async () => {
    const results: Record<string, string> = {};
    for (const p of procedures().filter((p) => p.takesId)) {
      results[p.path] = await outcome(world.owner.session, p.path, { ...(CASES[p.path]!(world) as object), id: "not-a-uuid" });
    }
    expectAll(results, "NOT_FOUND");
  });

  it("lets a member run every query and refuses every mutation FORBIDDEN, changing nothing", async () => {
    const member = await addUser(world.owner.session.tenantId, "member");
    const queries: Record<string, string> = {};
    const mutations: Record<string, string> = {};
    for (const p of procedures().filter((p) => !PUBLIC_PROCEDURES.has(p.path) && !SELF_SERVICE_MUTATIONS.has(p.path))) {
      const result = await outcome(member, p.path, CASES[p.path]!(world));
      (p.type === "query" ? queries : mutations)[p.path] = result;
    }
    expectAll(queries, "ok");
    expectAll(mutations, "FORBIDDEN");
    expect(Object.keys(mutations).length).toBeGreaterThanOrEqual(20);
    const me = await callerFor(member).account.me();
    expect(me.user).toMatchObject({ id: member.userId, role: "member" });
    expect((await callerFor(world.owner.session).apiKeys.list({})).items.find((k) => k.id === world.apiKeyId)?.revoked_at).toBeNull();
  });

  it("lets an admin change configuration", async () => {
    const admin = await addUser(world.owner.session.tenantId, "admin");
    const created = await callerFor(admin).suppressions.create({ email: "admin-added@example.com" });
    expect(created).toMatchObject({ email: "admin-added@example.com", reason: "manual", created: true });
  });

  it("answers UNAUTHORIZED without a session, for every procedure", async () => {
    const results: Record<string, string> = {};
    for (const p of procedures().filter((p) => !PUBLIC_PROCEDURES.has(p.path))) results[p.path] = await outcome(null, p.path, CASES[p.path]!(world));
    expectAll(results, "UNAUTHORIZED");
  });

  it("answers UNAUTHORIZED for a session the database no longer backs: user removed, or not of that tenant", async () => {
    const gone = await addUser(world.owner.session.tenantId, "admin");
    await (await getDb()).user.delete({ where: { id: gone.userId } });
    const other = await signUpOwner("Tenant C");
    const crossed = sessionOf(world.owner.session.userId, other.session.tenantId);
    for (const session of [gone, crossed, sessionOf("garbage", world.owner.session.tenantId)]) {
      expect(await outcome(session, "account.me", undefined)).toBe("UNAUTHORIZED");
      expect(await outcome(session, "domains.list", {})).toBe("UNAUTHORIZED");
      expect(await outcome(session, "apiKeys.create", { name: "x" })).toBe("UNAUTHORIZED");
    }
  });

  it("answers a role changed after sign-in as it is now", async () => {
    const admin = await addUser(world.owner.session.tenantId, "admin");
    expect(await outcome(admin, "suppressions.create", { email: "before@example.com" })).toBe("ok");
    await (await getDb()).user.update({ where: { id: admin.userId }, data: { role: "member" } });
    expect(await outcome(admin, "suppressions.create", { email: "after@example.com" })).toBe("FORBIDDEN");
  });
});
