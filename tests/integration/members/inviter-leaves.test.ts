/**
 * A link is shown only to whoever made it (invite, regenerate). Once that person may no longer manage
 * members — removed, gone, or made a plain member — the unaccepted links they made must stop working, or
 * they could sign a second address of theirs back in (as an admin) after being removed or demoted.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/server/db";
import { callerFor } from "../../helpers/trpc";
import { buildTeam, codeOf, freshEmail, openDatabase, signUpFields, tokenOf } from "./team";

beforeAll(openDatabase);

async function linkBy(team: Awaited<ReturnType<typeof buildTeam>>) {
  const created = await callerFor(team.admin).members.invite({ email: freshEmail(), role: "admin" });
  return tokenOf(created.link);
}

describe("links made by someone who may no longer manage members", () => {
  it("stop working when their maker is removed", async () => {
    const team = await buildTeam();
    const token = await linkBy(team);
    await callerFor(team.owner.session).members.remove({ id: team.admin.userId });
    expect(await codeOf(callerFor(null).invitations.accept(signUpFields(token)))).toBe("NOT_FOUND");
    expect((await callerFor(team.owner.session).members.invitations({})).total).toBe(0);
  });

  it("stop working when their maker is demoted to member", async () => {
    const team = await buildTeam();
    const token = await linkBy(team);
    await callerFor(team.owner.session).members.changeRole({ id: team.admin.userId, role: "member" });
    expect(await codeOf(callerFor(null).invitations.accept(signUpFields(token)))).toBe("NOT_FOUND");
  });

  it("stop working when their maker leaves", async () => {
    const team = await buildTeam();
    const token = await linkBy(team);
    await callerFor(team.admin).members.leave();
    expect(await codeOf(callerFor(null).invitations.accept(signUpFields(token)))).toBe("NOT_FOUND");
  });

  it("keep working when their maker stays a manager (promoted), and other makers' links are untouched", async () => {
    const team = await buildTeam();
    const token = await linkBy(team);
    const ownersLink = tokenOf((await callerFor(team.owner.session).members.invite({ email: freshEmail(), role: "member" })).link);
    await callerFor(team.owner.session).members.changeRole({ id: team.admin.userId, role: "owner" });
    expect((await callerFor(null).invitations.preview({ token })).status).toBe("pending");
    await callerFor(team.owner.session).members.remove({ id: team.member.userId });
    expect((await callerFor(null).invitations.accept(signUpFields(ownersLink))).user.role).toBe("member");
  });

  it("follow whoever last made the link: a new link by an admin ends with that admin, the owner's old one is dead anyway", async () => {
    const team = await buildTeam();
    const invitation = await callerFor(team.owner.session).members.invite({ email: freshEmail(), role: "admin" });
    const again = await callerFor(team.admin).members.regenerateInvitation({ id: invitation.id });
    expect((await (await getDb()).invitation.findUniqueOrThrow({ where: { id: invitation.id } })).invitedById).toBe(team.admin.userId);
    await callerFor(team.owner.session).members.remove({ id: team.admin.userId });
    expect(await codeOf(callerFor(null).invitations.accept(signUpFields(tokenOf(again.link))))).toBe("NOT_FOUND");
    expect(await codeOf(callerFor(null).invitations.accept(signUpFields(tokenOf(invitation.link))))).toBe("NOT_FOUND");
  });
});
