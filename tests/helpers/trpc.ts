/**
 * tRPC test support: sessions as next-auth would prove them, callers built from them (createCaller, as server
 * components will), the real fetch handler for wire shapes, and a member added to a tenant through Prisma
 * (invitations do not exist yet).
 */
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { nowSeconds } from "@/server/auth/dashboard-session";
import { hashPassword } from "@/server/auth/password";
import { getDb } from "@/server/db";
import { createTRPCContext, type SessionClaims } from "@/server/trpc/init";
import { appRouter, createCaller } from "@/server/trpc/root";
import { api, signUp } from "./api";

export const BASE_URL = "http://localhost:3000";

export interface Owner {
  session: SessionClaims;
  token: string;
  apiKey: string;
  email: string;
}

/** A fresh tenant (registered through the REST API) and its owner's session. */
export async function signUpOwner(name = "Acme"): Promise<Owner> {
  const { token, apiKey, email, tenantId } = await signUp(name);
  const me = await api.get("/api/v1/auth/me", { token });
  return { session: sessionOf(me.body.user.id, tenantId), token, apiKey, email };
}

/** A session as a sign-in now would prove it: new users are at session version 0. */
export function sessionOf(userId: string, tenantId: string, sessionVersion = 0): SessionClaims {
  return { userId, tenantId, sessionVersion, authTime: nowSeconds() };
}

let members = 0;
/** A second user of the tenant with the given role. */
export async function addUser(tenantId: string, role: "admin" | "member"): Promise<SessionClaims> {
  const db = await getDb();
  const user = await db.user.create({
    data: { tenantId, role, name: `${role} ${++members}`, email: `${role}${members}-${Date.now()}@example.com`, passwordHash: await hashPassword("correct horse battery") },
  });
  return sessionOf(user.id, tenantId);
}

export function callerFor(session: SessionClaims | null) {
  return createCaller(createTRPCContext({ session, baseUrl: BASE_URL }));
}

/** One call through the real fetch handler (POST for mutations, GET for queries), answered as the browser sees it. */
export async function trpcHttp(session: SessionClaims | null, path: string, input: unknown, type: "query" | "mutation"): Promise<{ status: number; body: any }> {
  const url = new URL(`/api/trpc/${path}`, BASE_URL);
  const init: RequestInit = { method: type === "query" ? "GET" : "POST" };
  if (type === "query" && input !== undefined) url.searchParams.set("input", JSON.stringify(input));
  else Object.assign(init, { body: JSON.stringify(input), headers: { "content-type": "application/json" } });
  const res = await fetchRequestHandler({
    endpoint: "/api/trpc",
    req: new Request(url, init),
    router: appRouter,
    createContext: () => createTRPCContext({ session, baseUrl: BASE_URL }),
  });
  return { status: res.status, body: await res.json() };
}
