/**
 * Signing up through an invitation link: preview (whose account, which email and role), then accept with a
 * name and password under registration's rules; the user joins that tenant with the invitation's role and
 * email (not one they choose), signs in like anyone else, and a member cannot change configuration. A link
 * works once, also when two accepts race; an expired, revoked or used link is refused; attempts are limited.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/server/db";
import { ACCEPT_LIMIT_PER_MINUTE } from "@/server/services/members/accept-invitation";
import { api, signUp } from "../../helpers/api";
import { callerFor, sessionOf, trpcHttp } from "../../helpers/trpc";
import { buildTeam, codeOf, freshEmail, openDatabase, PASSWORD, settle, signIn, signUpFields, tokenOf } from "./team";

beforeAll(openDatabase);

async function invite(role: "admin" | "member" = "member", name = "Joinable") {
  const team = await buildTeam(name);
  const email = freshEmail();
  const invitation = await callerFor(team.owner.session).members.invite({ email, role });
  return { team, email, invitation, token: tokenOf(invitation.link) };
}

describe("invitations: preview", () => {
  it("shows the account's name, the email, the role and the state to whoever holds the link", async () => {
    const { team, email, token } = await invite("admin", "Acme Mail");
    const preview = await callerFor(null).invitations.preview({ token });
    expect(preview).toEqual({ account: { id: team.owner.session.tenantId, name: "Acme Mail" }, email, role: "admin", status: "pending", expires_at: expect.any(String) });
  });

  it("answers an unknown, malformed or oversized token NOT_FOUND (never a server error)", async () => {
    const { token } = await invite();
    const wrong = token.slice(0, -1) + (token.endsWith("A") ? "B" : "A");
    for (const t of [wrong, "", "short", token + "x", "%00", "x".repeat(200)]) {
      expect(await codeOf(callerFor(null).invitations.preview({ token: t })), t).toBe("NOT_FOUND");
    }
    expect(await codeOf(callerFor(null).invitations.preview({ token: "x".repeat(201) }))).toBe("BAD_REQUEST");
  });
});

describe("invitations: accept", () => {
  it("creates the user in the inviting tenant with the invitation's email and role, hashed like registration; they can sign in", async () => {
    const { team, email, invitation, token } = await invite("admin");
    const accepted = await callerFor(null).invitations.accept(signUpFields(token, "  Ada Lovelace "));
    expect(accepted).toMatchObject({ user: { email, role: "admin", name: "Ada Lovelace" }, account: { id: team.owner.session.tenantId } });

    const db = await getDb();
    const user = await db.user.findUniqueOrThrow({ where: { email } });
    expect(user).toMatchObject({ tenantId: team.owner.session.tenantId, role: "admin" });
    expect(user.passwordHash).toMatch(/^scrypt\$32768\$8\$1\$/);
    expect((await db.invitation.findUniqueOrThrow({ where: { id: invitation.id } })).acceptedAt).not.toBeNull();

    const login = await api.post("/api/v1/auth/login", { email, password: PASSWORD });
    expect(login.status, login.text).toBe(200);
    expect(login.body.account.id).toBe(team.owner.session.tenantId);
    expect((await callerFor(team.owner.session).members.list({})).items.map((m) => m.email)).toContain(email);
    expect((await callerFor(null).invitations.preview({ token })).status).toBe("accepted");
  });

  it("makes an invited member who can view but not change configuration", async () => {
    const { team, token } = await invite("member");
    const { user } = await callerFor(null).invitations.accept(signUpFields(token));
    const session = await signIn(user.id);
    expect(session.tenantId).toBe(team.owner.session.tenantId);
    expect(await codeOf(callerFor(session).apiKeys.list({}))).toBe("ok");
    expect(await codeOf(callerFor(session).members.list({}))).toBe("ok");
    expect(await codeOf(callerFor(session).apiKeys.create({ name: "mine", mode: "live" }))).toBe("FORBIDDEN");
    expect(await codeOf(callerFor(session).suppressions.create({ email: "x@example.com" }))).toBe("FORBIDDEN");
    expect(await codeOf(callerFor(session).members.invite({ email: freshEmail() }))).toBe("FORBIDDEN");
  });

  it("does not let the person choose the email, and applies registration's password rules with field errors", async () => {
    const { token, email } = await invite();
    const chosen = await trpcHttp(null, "invitations.accept", { ...signUpFields(token), email: "other@example.com" }, "mutation");
    expect(chosen.status).toBe(400);
    const short = await trpcHttp(null, "invitations.accept", { token, name: "", password: "short", password_confirmation: "different" }, "mutation");
    expect(short.status).toBe(400);
    expect(short.body.error.data.fieldErrors).toEqual({
      name: ["name can't be blank"],
      password: ["password must be at least 10 characters"],
      password_confirmation: ["password_confirmation doesn't match password"],
    });
    // Same sentences as the REST registration.
    const rest = await api.post("/api/v1/auth/register", { name: "", email: freshEmail(), password: "short", password_confirmation: "different" });
    expect(rest.body.errors).toEqual(expect.arrayContaining(short.body.error.data.errors));
    expect(await (await getDb()).user.findUnique({ where: { email } })).toBeNull();
    expect(await (await getDb()).user.findUnique({ where: { email: "other@example.com" } })).toBeNull();
  });

  it("works once: a second accept is CONFLICT and creates nobody", async () => {
    const { email, token } = await invite();
    await callerFor(null).invitations.accept(signUpFields(token));
    expect(await settle(callerFor(null).invitations.accept(signUpFields(token, "Someone Else")))).toMatchObject({ code: "CONFLICT", message: expect.stringMatching(/used already/) });
    expect(await (await getDb()).user.count({ where: { email } })).toBe(1);
  });

  it("works once when two accepts race: exactly one user", async () => {
    for (let round = 0; round < 5; round++) {
      const { email, token } = await invite();
      const results = await Promise.all([0, 1, 2].map((i) => settle(callerFor(null).invitations.accept(signUpFields(token, `Racer ${i}`)))));
      expect(results.map((r) => r.code).sort()).toEqual(["CONFLICT", "CONFLICT", "ok"]);
      expect(await (await getDb()).user.count({ where: { email } })).toBe(1);
    }
  });

  it("refuses an expired link (CONFLICT) and creates nobody", async () => {
    const { email, invitation, token } = await invite();
    await (await getDb()).invitation.update({ where: { id: invitation.id }, data: { expiresAt: new Date(Date.now() - 1) } });
    expect(await settle(callerFor(null).invitations.accept(signUpFields(token)))).toMatchObject({ code: "CONFLICT", message: expect.stringMatching(/expired/) });
    expect(await (await getDb()).user.findUnique({ where: { email } })).toBeNull();
    expect((await (await getDb()).invitation.findUniqueOrThrow({ where: { id: invitation.id } })).acceptedAt).toBeNull();
  });

  it("refuses the link when the address got an account elsewhere meanwhile, and leaves the invitation unaccepted", async () => {
    const { team, email, invitation, token } = await invite();
    const res = await api.post("/api/v1/auth/register", { name: "Own", email, password: PASSWORD, password_confirmation: PASSWORD });
    expect(res.status, res.text).toBe(201);
    expect(await settle(callerFor(null).invitations.accept(signUpFields(token)))).toMatchObject({ code: "BAD_REQUEST", message: expect.stringMatching(/already belongs/) });
    expect((await (await getDb()).invitation.findUniqueOrThrow({ where: { id: invitation.id } })).acceptedAt).toBeNull();
    expect((await (await getDb()).user.findUniqueOrThrow({ where: { email } })).tenantId).not.toBe(team.owner.session.tenantId);
  });

  it(`limits attempts per invitation to ${ACCEPT_LIMIT_PER_MINUTE} a minute (TOO_MANY_REQUESTS with retryAfter), not other invitations'`, async () => {
    const { invitation, token } = await invite();
    await (await getDb()).invitation.update({ where: { id: invitation.id }, data: { expiresAt: new Date(Date.now() - 1) } });
    for (let i = 0; i < ACCEPT_LIMIT_PER_MINUTE; i++) expect(await codeOf(callerFor(null).invitations.accept(signUpFields(token)))).toBe("CONFLICT");
    const limited = await trpcHttp(null, "invitations.accept", signUpFields(token), "mutation");
    expect(limited.status).toBe(429);
    expect(limited.body.error.data.retryAfter).toBeGreaterThanOrEqual(1);
    const other = await invite();
    expect(await codeOf(callerFor(null).invitations.accept(signUpFields(other.token)))).toBe("ok");
  });

  it("makes a user whose session works in the tenant, while the account that registered elsewhere is untouched", async () => {
    const elsewhere = await signUp("Elsewhere");
    const { team, token } = await invite();
    const { user } = await callerFor(null).invitations.accept(signUpFields(token));
    const me = await callerFor(await signIn(user.id)).account.me();
    expect(me).toMatchObject({ account: { id: team.owner.session.tenantId }, user: { id: user.id, role: "member" } });
    expect(await codeOf(callerFor(sessionOf(user.id, elsewhere.tenantId)).account.me())).toBe("UNAUTHORIZED");
  });
});
