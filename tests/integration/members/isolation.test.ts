/**
 * Another tenant's owner reaches none of this tenant's members or invitations: every id is NOT_FOUND and
 * nothing changes; the lists show only their own.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/server/db";
import { callerFor, signUpOwner } from "../../helpers/trpc";
import { buildTeam, codeOf, freshEmail, openDatabase, roleOf } from "./team";

beforeAll(openDatabase);

describe("members: tenant isolation", () => {
  it("answers another tenant NOT_FOUND for every member and invitation id, and changes nothing", async () => {
    const team = await buildTeam("Tenant A");
    const invitation = await callerFor(team.owner.session).members.invite({ email: freshEmail() });
    const other = await signUpOwner("Tenant B");
    const b = callerFor(other.session).members;

    const results = {
      changeRoleOwner: await codeOf(b.changeRole({ id: team.owner.session.userId, role: "member" })),
      changeRoleMember: await codeOf(b.changeRole({ id: team.member.userId, role: "owner" })),
      removeOwner: await codeOf(b.remove({ id: team.owner.session.userId })),
      removeAdmin: await codeOf(b.remove({ id: team.admin.userId })),
      revoke: await codeOf(b.revokeInvitation({ id: invitation.id })),
      regenerate: await codeOf(b.regenerateInvitation({ id: invitation.id })),
    };
    expect(results).toEqual({ changeRoleOwner: "NOT_FOUND", changeRoleMember: "NOT_FOUND", removeOwner: "NOT_FOUND", removeAdmin: "NOT_FOUND", revoke: "NOT_FOUND", regenerate: "NOT_FOUND" });

    expect(await roleOf(team.owner.session.userId)).toBe("owner");
    expect(await roleOf(team.admin.userId)).toBe("admin");
    expect(await roleOf(team.member.userId)).toBe("member");
    const row = await (await getDb()).invitation.findUniqueOrThrow({ where: { id: invitation.id } });
    expect((await callerFor(null).invitations.preview({ token: invitation.link.split("/").pop()! })).status).toBe("pending");
    expect(row.acceptedAt).toBeNull();

    expect((await b.list({})).items.map((m) => m.id)).toEqual([other.session.userId]);
    expect((await b.invitations({})).total).toBe(0);
  });

  it("an admin of another tenant cannot act on this tenant's members either", async () => {
    const team = await buildTeam("Tenant A");
    const otherTeam = await buildTeam("Tenant C");
    expect(await codeOf(callerFor(otherTeam.admin).members.remove({ id: team.member.userId }))).toBe("NOT_FOUND");
    expect(await codeOf(callerFor(otherTeam.admin).members.changeRole({ id: team.member.userId, role: "admin" }))).toBe("NOT_FOUND");
    expect(await roleOf(team.member.userId)).toBe("member");
  });
});
