/** A tenant with one user of every role, and small helpers over the members procedures. */
import { TRPCError } from "@trpc/server";
import { expect } from "vitest";
import { getDb } from "@/server/db";
import type { SessionClaims } from "@/server/trpc/init";
import { addUser, callerFor, sessionOf, signUpOwner, type Owner } from "../../helpers/trpc";

/** The file's database, migrated in a hook (60 s) rather than inside the first test (30 s) on a busy machine. */
export async function openDatabase(): Promise<void> {
  await getDb();
}

export interface Team {
  owner: Owner;
  admin: SessionClaims;
  member: SessionClaims;
}

export async function buildTeam(name = "Team"): Promise<Team> {
  const owner = await signUpOwner(name);
  return { owner, admin: await addUser(owner.session.tenantId, "admin"), member: await addUser(owner.session.tenantId, "member") };
}

/** A session the user signs in with now (at their current session version). */
export async function signIn(userId: string): Promise<SessionClaims> {
  const user = await (await getDb()).user.findUniqueOrThrow({ where: { id: userId } });
  return sessionOf(user.id, user.tenantId, user.sessionVersion);
}

/** A second owner, made the way the dashboard makes one: an owner promotes a member (who then signs in again). */
export async function addOwner(by: SessionClaims): Promise<SessionClaims> {
  const user = await addUser(by.tenantId, "member");
  await callerFor(by).members.changeRole({ id: user.userId, role: "owner" });
  return signIn(user.userId);
}

/** The tRPC code a promise rejects with (or "ok"), and the message. */
export async function settle(promise: Promise<unknown>): Promise<{ code: string; message?: string }> {
  try {
    await promise;
    return { code: "ok" };
  } catch (error) {
    if (error instanceof TRPCError) return { code: error.code, message: error.message };
    throw error;
  }
}

export async function codeOf(promise: Promise<unknown>): Promise<string> {
  return (await settle(promise)).code;
}

export async function roleOf(userId: string): Promise<string | undefined> {
  return (await (await getDb()).user.findUnique({ where: { id: userId } }))?.role;
}

export function tokenOf(link: string): string {
  const match = /\/invite\/([A-Za-z0-9_-]{43})$/.exec(link);
  expect(match, link).not.toBeNull();
  return match![1]!;
}

export const PASSWORD = "correct horse battery staple";

export function signUpFields(token: string, name = "Invited Person") {
  return { token, name, password: PASSWORD, password_confirmation: PASSWORD };
}

let n = 0;
export function freshEmail(label = "invitee"): string {
  return `${label}${++n}-${Date.now()}@example.com`;
}
