/**
 * How long a dashboard session lives, as an attacker holding a copy of its cookie would try it: next-auth's
 * JWT sessions roll (every GET /api/auth/session re-issues the cookie with a fresh expiry), so the cap counts
 * from the sign-in itself; and signing out, removal or a role change end every copy at once (sessionVersion).
 * Checked at every door a session opens: next-auth's session endpoint, /api/trpc, and the pages' context.
 */
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { decode, encode } from "next-auth/jwt";
import { SESSION_MAX_AGE_SECONDS } from "@/server/auth/dashboard-session";
import { getDb } from "@/server/db";
import { endUserSessions } from "@/server/services/accounts/end-user-sessions";
import { createPageContext } from "@/server/trpc/request-context";
import { addUser, callerFor, sessionOf, signUpOwner } from "../../helpers/trpc";
import { Browser, SESSION_COOKIE, signedIn, setTestNextAuthSecret, TEST_SECRET } from "./browser";

const HOUR = 3600_000;

// The database (migrated on first use) before the tests: under load that alone can take a test's whole budget.
beforeAll(async () => {
  await getDb();
});

beforeEach(() => {
  setTestNextAuthSecret();
  vi.useFakeTimers({ toFake: ["Date"], now: Date.now() });
});
afterEach(() => {
  vi.useRealTimers();
});

/** Where each door stands for this browser's cookie: next-auth's session, a tRPC call, a page's context. */
async function doors(browser: Browser) {
  const token = browser.sessionToken;
  const trpc = await browser.trpc("account.me", undefined, "query");
  const page = await createPageContext(new Headers({ cookie: `${SESSION_COOKIE}=${token ?? ""}`, host: "localhost:3000" }));
  return { trpc: trpc.status === 200 ? "ok" : trpc.body.error.data.code, page: page.session ? "ok" : "none" };
}

async function userRow(userId: string) {
  return (await getDb()).user.findUniqueOrThrow({ where: { id: userId } });
}

describe("dashboard session lifetime", () => {
  it("ends 24 h after sign-in however often its cookie is re-issued: a polled copy does not live on", async () => {
    const owner = await signUpOwner();
    const browser = await signedIn(owner.email);
    const first = browser.sessionToken;
    expect(await doors(browser)).toEqual({ trpc: "ok", page: "ok" });
    // Polled every 6 hours, as a stolen cookie would be kept alive: each read re-issues a new cookie.
    for (const hours of [6, 12, 18, 23]) {
      vi.setSystemTime(Date.now() + (hours === 23 ? 5 : 6) * HOUR);
      const before = browser.sessionToken;
      expect((await browser.session()).user).toMatchObject({ id: owner.session.userId });
      expect(browser.sessionToken).not.toBe(before);
    }
    expect(browser.sessionToken).not.toBe(first);
    expect(await doors(browser)).toEqual({ trpc: "ok", page: "ok" });
    // Each re-issued token is sealed to expire when the sign-in's 24 h end, not 24 h after its re-issue.
    const sealed = (await decode({ token: browser.sessionToken!, secret: TEST_SECRET }))!;
    expect(sealed.exp).toBe((sealed.authTime as number) + SESSION_MAX_AGE_SECONDS);
    // A copy of the last re-issued cookie (its own expiry is 24 h after that re-issue, hours away).
    const copy = browser.copy();
    vi.setSystemTime(Date.now() + HOUR);
    expect(await doors(copy)).toEqual({ trpc: "UNAUTHORIZED", page: "none" });
    // next-auth's endpoint refuses it too, and clears the cookie instead of re-issuing it.
    expect(await browser.session()).toEqual({});
    expect(browser.sessionToken).toBeUndefined();
  });

  it("refuses a cookie without a sign-in time (or one in the future) though next-auth's secret sealed it", async () => {
    const owner = await signUpOwner();
    const secret = TEST_SECRET;
    const base = { userId: owner.session.userId, tenantId: owner.session.tenantId, role: "owner" as const, sessionVersion: 0, email: owner.email };
    for (const token of [base, { ...base, authTime: Math.floor(Date.now() / 1000) + 3600 }, { ...base, authTime: Math.floor(Date.now() / 1000) - SESSION_MAX_AGE_SECONDS }]) {
      const browser = new Browser();
      browser.cookies.set(SESSION_COOKIE, await encode({ token, secret, maxAge: SESSION_MAX_AGE_SECONDS }));
      expect(await doors(browser)).toEqual({ trpc: "UNAUTHORIZED", page: "none" });
      expect(await browser.session()).toEqual({});
    }
    // The same cookie with a sign-in time of now counts: it is the sign-in time that was refused.
    const fine = new Browser();
    fine.cookies.set(SESSION_COOKIE, await encode({ token: { ...base, authTime: Math.floor(Date.now() / 1000) }, secret }));
    expect(await doors(fine)).toEqual({ trpc: "ok", page: "ok" });
  });

  it("signing out ends every copy of the session, and a stale copy signing out ends nothing newer", async () => {
    const owner = await signUpOwner();
    const browser = await signedIn(owner.email);
    const stolen = browser.copy();
    const laptop = await signedIn(owner.email);
    expect(await doors(stolen)).toEqual({ trpc: "ok", page: "ok" });
    await browser.signOut();
    expect(browser.sessionToken).toBeUndefined();
    expect((await userRow(owner.session.userId)).sessionVersion).toBe(1);
    // The copy and the user's other sign-in (the same version) end with it, at every door.
    expect(await doors(stolen)).toEqual({ trpc: "UNAUTHORIZED", page: "none" });
    expect(await doors(laptop)).toEqual({ trpc: "UNAUTHORIZED", page: "none" });
    expect(await stolen.session()).toEqual({});
    // Signing in again works; the stale copy signing out afterwards does not end the new session.
    const again = await signedIn(owner.email);
    expect(await doors(again)).toEqual({ trpc: "ok", page: "ok" });
    const staleCopy = new Browser();
    staleCopy.cookies.set(SESSION_COOKIE, laptop.sessionToken!);
    await staleCopy.signOut();
    expect((await userRow(owner.session.userId)).sessionVersion).toBe(1);
    expect(await doors(again)).toEqual({ trpc: "ok", page: "ok" });
  });

  it("endUserSessions ends every session of that user only, inside a caller's transaction too", async () => {
    const owner = await signUpOwner();
    const admin = await addUser(owner.session.tenantId, "admin");
    const adminEmail = (await userRow(admin.userId)).email;
    const ownerBrowser = await signedIn(owner.email);
    const adminBrowser = await signedIn(adminEmail);
    expect(await endUserSessions(admin.userId)).toBe(true);
    expect(await doors(adminBrowser)).toEqual({ trpc: "UNAUTHORIZED", page: "none" });
    expect(await doors(ownerBrowser)).toEqual({ trpc: "ok", page: "ok" });
    // A role change's transaction: the end of the sessions commits (or rolls back) with it.
    const ownerAgain = await signedIn(owner.email);
    await expect(
      (await getDb()).$transaction(async (tx) => {
        await endUserSessions(owner.session.userId, tx);
        throw new Error("rolled back");
      }),
    ).rejects.toThrow("rolled back");
    expect(await doors(ownerAgain)).toEqual({ trpc: "ok", page: "ok" });
    await (await getDb()).$transaction((tx) => endUserSessions(owner.session.userId, tx));
    expect(await doors(ownerAgain)).toEqual({ trpc: "UNAUTHORIZED", page: "none" });
    expect(await endUserSessions("00000000-0000-4000-8000-000000000000")).toBe(false);
  });

  it("the tenant check refuses a session of another version with UNAUTHORIZED, and counts it in no rate window", async () => {
    const owner = await signUpOwner();
    const db = await getDb();
    await endUserSessions(owner.session.userId);
    const windows = await db.rateLimitWindow.findMany({ where: { key: { startsWith: `user:${owner.session.userId}:` } } });
    await expect(callerFor(sessionOf(owner.session.userId, owner.session.tenantId, 0)).account.me()).rejects.toMatchObject({ code: "UNAUTHORIZED" });
    expect(await db.rateLimitWindow.findMany({ where: { key: { startsWith: `user:${owner.session.userId}:` } } })).toEqual(windows);
    await expect(callerFor(sessionOf(owner.session.userId, owner.session.tenantId, 1)).account.me()).resolves.toMatchObject({ user: { id: owner.session.userId } });
    // Past 24 h from sign-in, even at the current version.
    const old = { ...sessionOf(owner.session.userId, owner.session.tenantId, 1), authTime: Math.floor(Date.now() / 1000) - SESSION_MAX_AGE_SECONDS };
    await expect(callerFor(old).account.me()).rejects.toMatchObject({ code: "UNAUTHORIZED" });
  });
});
