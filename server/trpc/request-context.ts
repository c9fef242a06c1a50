/**
 * The context of a dashboard call: the next-auth session of the request's cookie, decoded here (not through
 * next-auth's session endpoint, which would re-issue the cookie) and held to the same rules as everywhere
 * (server/auth/dashboard-session.ts): a session past its 24 h from sign-in, or malformed, is no session.
 */
import { getToken } from "next-auth/jwt";
import { headers } from "next/headers";
import { NextRequest } from "next/server";
import { liveSessionClaims, type SessionClaims } from "../auth/dashboard-session";
import { authOptions } from "../auth/next-auth";
import { publicBaseUrl } from "../http/public-base-url";
import { sessionIsCurrent } from "../services/auth/dashboard-session";
import { createTRPCContext, type TRPCContext } from "./init";

/** The claims of the session cookie among `requestHeaders`' cookies, if it is live. */
async function sessionClaims(requestHeaders: Headers): Promise<SessionClaims | null> {
  // authOptions() first: it hands APP_URL on as NEXTAUTH_URL, which decides the cookie's name (__Secure- on https).
  const { secret } = authOptions();
  // Only the cookie: getToken would also take a bearer token from an Authorization header given in `headers`.
  const { cookies } = new NextRequest("http://localhost/", { headers: { cookie: requestHeaders.get("cookie") ?? "" } });
  const token = await getToken({ req: { cookies, headers: {} } as unknown as Parameters<typeof getToken>[0]["req"], secret });
  return liveSessionClaims(token);
}

/**
 * An HTTP call to /api/trpc. Whether the session's version is still the user's is checked by tenantProcedure,
 * in the same round trip as the membership and the rate limit.
 */
export async function createRequestContext(req: Request): Promise<TRPCContext> {
  return createTRPCContext({ session: await sessionClaims(req.headers), baseUrl: publicBaseUrl(req) });
}

/**
 * A page's context from its request headers: a session that ended (signed out, removed, role changed) is no
 * session here either, so the dashboard layout sends it to the sign-in page instead of rendering for it.
 */
export async function createPageContext(requestHeaders: Headers): Promise<TRPCContext> {
  const claims = await sessionClaims(requestHeaders);
  const session = claims && (await sessionIsCurrent(claims)) ? claims : null;
  return createTRPCContext({ session, baseUrl: publicBaseUrl(new Request(pageOrigin(requestHeaders))) });
}

function pageOrigin(requestHeaders: Headers): string {
  const origin = `${requestHeaders.get("x-forwarded-proto") === "https" ? "https" : "http"}://${requestHeaders.get("host") ?? "localhost"}`;
  return URL.canParse(origin) ? origin : "http://localhost";
}

/** A server component's prefetch (trpc/server.tsx): the page request's headers stand in for the request. */
export async function createServerComponentContext(): Promise<TRPCContext> {
  return createPageContext(new Headers(await headers()));
}
