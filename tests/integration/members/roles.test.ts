/**
 * Who may change whom: members only view; owners and admins manage members; only an owner grants or takes
 * the owner role or removes an owner; nobody changes their own role or removes themselves (they leave); the
 * last owner cannot leave, be demoted or be removed. A role change ends the user's dashboard sessions.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/server/db";
import { callerFor } from "../../helpers/trpc";
import { addOwner, buildTeam, codeOf, openDatabase, roleOf, settle, signIn } from "./team";

beforeAll(openDatabase);

describe("members: list", () => {
  it("lists the tenant's users, owners first, for every role", async () => {
    const team = await buildTeam("Listing");
    for (const session of [team.owner.session, team.admin, team.member]) {
      const page = await callerFor(session).members.list({});
      expect(page.total).toBe(3);
      expect(page.items.map((m) => m.role)).toEqual(["owner", "admin", "member"]);
      expect(page.items[0]).toMatchObject({ id: team.owner.session.userId, email: team.owner.email });
      expect(Object.keys(page.items[0]!).sort()).toEqual(["created_at", "email", "id", "name", "role"]);
    }
  });
});

describe("members: role changes", () => {
  it("refuses a member every change FORBIDDEN, and changes nothing", async () => {
    const team = await buildTeam();
    const m = callerFor(team.member).members;
    expect(await codeOf(m.changeRole({ id: team.admin.userId, role: "member" }))).toBe("FORBIDDEN");
    expect(await codeOf(m.changeRole({ id: team.member.userId, role: "admin" }))).toBe("FORBIDDEN");
    expect(await codeOf(m.remove({ id: team.admin.userId }))).toBe("FORBIDDEN");
    expect(await roleOf(team.admin.userId)).toBe("admin");
    expect(await roleOf(team.member.userId)).toBe("member");
  });

  it("lets an admin promote a member to admin and demote another admin, and ends that user's sessions", async () => {
    const team = await buildTeam();
    const db = await getDb();
    const before = (await db.user.findUniqueOrThrow({ where: { id: team.member.userId } })).sessionVersion;
    const promoted = await callerFor(team.admin).members.changeRole({ id: team.member.userId, role: "admin" });
    expect(promoted).toMatchObject({ id: team.member.userId, role: "admin" });
    expect((await db.user.findUniqueOrThrow({ where: { id: team.member.userId } })).sessionVersion).toBe(before + 1);
    // The session from before the change has ended; signed in again, the promoted user demotes the first admin.
    expect(await codeOf(callerFor(team.member).members.list({}))).toBe("UNAUTHORIZED");
    await callerFor(await signIn(team.member.userId)).members.changeRole({ id: team.admin.userId, role: "member" });
    expect(await roleOf(team.admin.userId)).toBe("member");
    // The acting user's own session goes on; an unchanged role (a no-op) ends nobody's.
    const unchanged = await signIn(team.admin.userId);
    await callerFor(team.owner.session).members.changeRole({ id: team.admin.userId, role: "member" });
    expect(await codeOf(callerFor(unchanged).members.list({}))).toBe("ok");
  });

  it("keeps the owner role to owners: an admin cannot grant it, take it, or remove an owner", async () => {
    const team = await buildTeam();
    const a = callerFor(team.admin).members;
    expect(await settle(a.changeRole({ id: team.member.userId, role: "owner" }))).toMatchObject({ code: "FORBIDDEN", message: expect.stringMatching(/only an owner/i) });
    expect(await codeOf(a.changeRole({ id: team.owner.session.userId, role: "admin" }))).toBe("FORBIDDEN");
    expect(await codeOf(a.changeRole({ id: team.owner.session.userId, role: "member" }))).toBe("FORBIDDEN");
    expect(await codeOf(a.remove({ id: team.owner.session.userId }))).toBe("FORBIDDEN");
    expect(await roleOf(team.owner.session.userId)).toBe("owner");
    expect(await roleOf(team.member.userId)).toBe("member");
  });

  it("lets an owner grant the owner role, and demote or remove another owner", async () => {
    const team = await buildTeam();
    const o = callerFor(team.owner.session).members;
    expect(await o.changeRole({ id: team.admin.userId, role: "owner" })).toMatchObject({ role: "owner" });
    expect(await o.changeRole({ id: team.admin.userId, role: "member" })).toMatchObject({ role: "member" });
    const second = await addOwner(team.owner.session);
    expect(await o.remove({ id: second.userId })).toEqual({ removed: true });
    expect(await roleOf(second.userId)).toBeUndefined();
  });

  it("lets nobody change their own role or remove themselves", async () => {
    const team = await buildTeam();
    const second = await addOwner(team.owner.session);
    for (const session of [team.owner.session, second, team.admin]) {
      const own = callerFor(session).members;
      expect(await settle(own.changeRole({ id: session.userId, role: "member" }))).toMatchObject({ code: "FORBIDDEN", message: expect.stringMatching(/yourself/) });
      expect(await codeOf(own.changeRole({ id: session.userId, role: "owner" }))).toBe("FORBIDDEN");
      expect(await codeOf(own.remove({ id: session.userId }))).toBe("FORBIDDEN");
    }
    expect(await roleOf(team.owner.session.userId)).toBe("owner");
    expect(await roleOf(team.admin.userId)).toBe("admin");
  });

  it("answers a role the schema does not know BAD_REQUEST, an unknown or malformed id NOT_FOUND", async () => {
    const team = await buildTeam();
    const o = callerFor(team.owner.session).members;
    expect(await codeOf(o.changeRole({ id: team.member.userId, role: "superuser" as "admin" }))).toBe("BAD_REQUEST");
    expect(await codeOf(o.changeRole({ id: "00000000-0000-4000-8000-000000000000", role: "admin" }))).toBe("NOT_FOUND");
    expect(await codeOf(o.changeRole({ id: "not-a-uuid", role: "admin" }))).toBe("NOT_FOUND");
    expect(await codeOf(o.remove({ id: "00000000-0000-4000-8000-000000000000" }))).toBe("NOT_FOUND");
  });

  it("removing a member ends their access at once", async () => {
    const team = await buildTeam();
    expect(await codeOf(callerFor(team.member).members.list({}))).toBe("ok");
    await callerFor(team.admin).members.remove({ id: team.member.userId });
    expect(await codeOf(callerFor(team.member).members.list({}))).toBe("UNAUTHORIZED");
    expect(await codeOf(callerFor(team.member).account.me())).toBe("UNAUTHORIZED");
  });

  it("applies the acting user's role as it is now, not as it was at sign-in", async () => {
    const team = await buildTeam();
    await callerFor(team.owner.session).members.changeRole({ id: team.admin.userId, role: "member" });
    expect(await codeOf(callerFor(team.admin).members.remove({ id: team.member.userId }))).toBe("UNAUTHORIZED");
    expect(await codeOf(callerFor(await signIn(team.admin.userId)).members.remove({ id: team.member.userId }))).toBe("FORBIDDEN");
    expect(await roleOf(team.member.userId)).toBe("member");
  });
});

describe("members: leaving", () => {
  it("lets a member or an admin leave: the user is gone", async () => {
    const team = await buildTeam();
    expect(await callerFor(team.member).members.leave()).toEqual({ left: true });
    expect(await callerFor(team.admin).members.leave()).toEqual({ left: true });
    expect(await roleOf(team.member.userId)).toBeUndefined();
    expect(await roleOf(team.admin.userId)).toBeUndefined();
    expect((await callerFor(team.owner.session).members.list({})).total).toBe(1);
  });

  it("refuses the last owner leaving (CONFLICT; demoting or removing them takes another owner); a second owner makes it possible", async () => {
    const team = await buildTeam();
    const owner = team.owner.session;
    expect(await settle(callerFor(owner).members.leave())).toMatchObject({ code: "CONFLICT", message: expect.stringMatching(/at least one owner/) });
    expect(await roleOf(owner.userId)).toBe("owner");

    const second = await addOwner(owner);
    expect(await callerFor(second).members.leave()).toEqual({ left: true });
    expect(await codeOf(callerFor(owner).members.leave())).toBe("CONFLICT");

    const third = await addOwner(owner);
    expect(await callerFor(owner).members.leave()).toEqual({ left: true });
    // `third` is the last owner now.
    expect(await codeOf(callerFor(third).members.leave())).toBe("CONFLICT");
    expect(await roleOf(third.userId)).toBe("owner");
  });
});
