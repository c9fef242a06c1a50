/**
 * Invitations: a link with a 32-byte token of which only the SHA-256 is stored, good for 7 days and once;
 * the lists never show it; an address with an account anywhere, or a pending invitation in the tenant,
 * cannot be invited; at most 50 pending; revoking or regenerating kills the old link.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/server/db";
import { sha256Hex } from "@/server/lib/crypto";
import { INVITATION_LIFETIME_MS } from "@/server/services/members/invitation-token";
import { MAX_PENDING_INVITATIONS } from "@/server/services/members/pending-invitations";
import { BASE_URL, callerFor, signUpOwner, trpcHttp } from "../../helpers/trpc";
import { buildTeam, codeOf, freshEmail, openDatabase, settle, signUpFields, tokenOf } from "./team";

beforeAll(openDatabase);

async function expire(invitationId: string) {
  await (await getDb()).invitation.update({ where: { id: invitationId }, data: { expiresAt: new Date(Date.now() - 1000) } });
}

describe("invitations: create and list", () => {
  it("returns a link once, stores only the token's SHA-256, expires in 7 days, and lists without the link", async () => {
    const team = await buildTeam();
    const email = freshEmail();
    const before = Date.now();
    const created = await callerFor(team.admin).members.invite({ email: `  ${email.toUpperCase()} `, role: "admin" });
    expect(created).toMatchObject({ email, role: "admin", status: "pending", accepted_at: null });
    expect(created.link.startsWith(`${BASE_URL}/invite/`)).toBe(true);
    const token = tokenOf(created.link);
    expect(Buffer.from(token, "base64url")).toHaveLength(32);
    const expiresAt = Date.parse(created.expires_at);
    expect(expiresAt).toBeGreaterThanOrEqual(before + INVITATION_LIFETIME_MS - 1000);
    expect(expiresAt).toBeLessThanOrEqual(Date.now() + INVITATION_LIFETIME_MS + 1000);

    const row = await (await getDb()).invitation.findUniqueOrThrow({ where: { id: created.id } });
    expect(row.tokenHash).toBe(sha256Hex(token));
    expect(JSON.stringify(row)).not.toContain(token);
    expect(row.invitedById).toBe(team.admin.userId);

    // Everyone may view the list; nobody sees a token, its hash or a link again.
    for (const session of [team.owner.session, team.member]) {
      const list = await callerFor(session).members.invitations({});
      expect(list.total).toBe(1);
      expect(list.items[0]).toMatchObject({ id: created.id, email, role: "admin", status: "pending", invited_by: { email: expect.any(String) } });
      const text = JSON.stringify(list);
      expect(text).not.toContain(token);
      expect(text).not.toContain(row.tokenHash);
      expect(text).not.toContain("link");
    }
  });

  it("refuses an email that has an account in any tenant", async () => {
    const team = await buildTeam();
    const elsewhere = await signUpOwner("Elsewhere");
    for (const email of [elsewhere.email, team.owner.email]) {
      const refused = await settle(callerFor(team.owner.session).members.invite({ email, role: "member" }));
      expect(refused).toMatchObject({ code: "BAD_REQUEST", message: expect.stringMatching(/already belongs to a CourierX account/) });
    }
    expect((await callerFor(team.owner.session).members.invitations({})).total).toBe(0);
  });

  it("refuses a second pending invitation for the same email (suggesting revoke), but not after the first expired", async () => {
    const team = await buildTeam();
    const email = freshEmail();
    const first = await callerFor(team.owner.session).members.invite({ email, role: "member" });
    const again = await settle(callerFor(team.admin).members.invite({ email: email.toUpperCase(), role: "admin" }));
    expect(again).toMatchObject({ code: "BAD_REQUEST", message: expect.stringMatching(/pending invitation.*revoke/) });
    // Another tenant may invite the same address meanwhile: whoever is accepted first gets the account.
    const other = await signUpOwner("Other");
    await callerFor(other.session).members.invite({ email, role: "member" });

    await expire(first.id);
    const second = await callerFor(team.admin).members.invite({ email, role: "admin" });
    expect(second.id).not.toBe(first.id);
    const statuses = (await callerFor(team.owner.session).members.invitations({})).items.map((i) => [i.id, i.status]);
    expect(statuses).toEqual([
      [second.id, "pending"],
      [first.id, "expired"],
    ]);
  });

  it("validates the form: an email, and a role of admin or member (never owner)", async () => {
    const team = await buildTeam();
    const res = await trpcHttp(team.owner.session, "members.invite", { email: "nope", role: "owner" }, "mutation");
    expect(res.status).toBe(400);
    expect(res.body.error.data.fieldErrors).toEqual({ email: ["email is not a valid email address"], role: ["role must be one of: admin, member"] });
    expect(await callerFor(team.owner.session).members.invite({ email: freshEmail() })).toMatchObject({ role: "member" });
  });

  it(`caps pending invitations at ${MAX_PENDING_INVITATIONS} per tenant; expired and accepted ones do not count`, async () => {
    const team = await buildTeam();
    const o = callerFor(team.owner.session).members;
    const first = await o.invite({ email: freshEmail("cap") });
    for (let i = 1; i < MAX_PENDING_INVITATIONS; i++) await o.invite({ email: freshEmail("cap") });
    expect(await settle(o.invite({ email: freshEmail("cap") }))).toMatchObject({ code: "BAD_REQUEST", message: expect.stringMatching(/at most 50/) });
    // Another tenant has its own allowance.
    const other = await signUpOwner("Other");
    expect(await codeOf(callerFor(other.session).members.invite({ email: freshEmail("cap") }))).toBe("ok");
    await expire(first.id);
    expect(await codeOf(o.invite({ email: freshEmail("cap") }))).toBe("ok");
  });

  it("refuses a member FORBIDDEN for invite, revoke and regenerate", async () => {
    const team = await buildTeam();
    const invitation = await callerFor(team.owner.session).members.invite({ email: freshEmail() });
    const m = callerFor(team.member).members;
    expect(await codeOf(m.invite({ email: freshEmail() }))).toBe("FORBIDDEN");
    expect(await codeOf(m.revokeInvitation({ id: invitation.id }))).toBe("FORBIDDEN");
    expect(await codeOf(m.regenerateInvitation({ id: invitation.id }))).toBe("FORBIDDEN");
    expect((await callerFor(team.member).members.invitations({})).total).toBe(1);
    expect((await callerFor(null).invitations.preview({ token: tokenOf(invitation.link) })).status).toBe("pending");
  });
});

describe("invitations: revoke and regenerate", () => {
  it("revoking kills the link (preview and accept NOT_FOUND) and removes it from the list", async () => {
    const team = await buildTeam();
    const invitation = await callerFor(team.admin).members.invite({ email: freshEmail() });
    const token = tokenOf(invitation.link);
    expect(await callerFor(team.admin).members.revokeInvitation({ id: invitation.id })).toEqual({ revoked: true });
    expect(await codeOf(callerFor(null).invitations.preview({ token }))).toBe("NOT_FOUND");
    expect(await codeOf(callerFor(null).invitations.accept(signUpFields(token)))).toBe("NOT_FOUND");
    expect((await callerFor(team.owner.session).members.invitations({})).total).toBe(0);
    expect(await codeOf(callerFor(team.admin).members.revokeInvitation({ id: invitation.id }))).toBe("NOT_FOUND");
  });

  it("regenerating gives a new link for 7 more days and kills the old one, also for an expired invitation", async () => {
    const team = await buildTeam();
    const invitation = await callerFor(team.owner.session).members.invite({ email: freshEmail() });
    await expire(invitation.id);
    const oldToken = tokenOf(invitation.link);
    expect((await callerFor(null).invitations.preview({ token: oldToken })).status).toBe("expired");

    const renewed = await callerFor(team.admin).members.regenerateInvitation({ id: invitation.id });
    expect(renewed).toMatchObject({ id: invitation.id, status: "pending", email: invitation.email });
    const newToken = tokenOf(renewed.link);
    expect(newToken).not.toBe(oldToken);
    expect(Date.parse(renewed.expires_at)).toBeGreaterThan(Date.now() + INVITATION_LIFETIME_MS - 60_000);
    expect(await codeOf(callerFor(null).invitations.preview({ token: oldToken }))).toBe("NOT_FOUND");
    expect(await codeOf(callerFor(null).invitations.accept(signUpFields(oldToken)))).toBe("NOT_FOUND");
    expect(await codeOf(callerFor(null).invitations.accept(signUpFields(newToken)))).toBe("ok");
  });

  it("refuses revoking or regenerating an accepted invitation (CONFLICT); the member stays", async () => {
    const team = await buildTeam();
    const invitation = await callerFor(team.owner.session).members.invite({ email: freshEmail() });
    const { user } = await callerFor(null).invitations.accept(signUpFields(tokenOf(invitation.link)));
    expect(await codeOf(callerFor(team.owner.session).members.revokeInvitation({ id: invitation.id }))).toBe("CONFLICT");
    expect(await codeOf(callerFor(team.owner.session).members.regenerateInvitation({ id: invitation.id }))).toBe("CONFLICT");
    expect((await callerFor(team.owner.session).members.invitations({})).items[0]).toMatchObject({ status: "accepted", accepted_at: expect.any(String) });
    expect((await callerFor(team.owner.session).members.list({})).items.map((m) => m.id)).toContain(user.id);
  });

  it("refuses regenerating an expired invitation whose address was invited again or got an account meanwhile", async () => {
    const team = await buildTeam();
    const o = callerFor(team.owner.session).members;
    const email = freshEmail();
    const old = await o.invite({ email });
    await expire(old.id);
    const fresh = await o.invite({ email });
    expect(await settle(o.regenerateInvitation({ id: old.id }))).toMatchObject({ code: "BAD_REQUEST", message: expect.stringMatching(/pending invitation/) });
    await callerFor(null).invitations.accept(signUpFields(tokenOf(fresh.link)));
    expect(await settle(o.regenerateInvitation({ id: old.id }))).toMatchObject({ code: "BAD_REQUEST", message: expect.stringMatching(/already belongs/) });
  });
});
