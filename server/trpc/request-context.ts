/** The context of a dashboard call: the next-auth session of the request's cookie. */
import { getServerSession } from "next-auth";
import { headers } from "next/headers";
import { authOptions } from "../auth/next-auth";
import { publicBaseUrl } from "../http/presenters/provider-connections";
import { createTRPCContext, type SessionClaims, type TRPCContext } from "./init";

async function sessionClaims(): Promise<SessionClaims | null> {
  const user = (await getServerSession(authOptions()))?.user;
  return user?.id && user.tenantId ? { userId: user.id, tenantId: user.tenantId } : null;
}

/** An HTTP call to /api/trpc. */
export async function createRequestContext(req: Request): Promise<TRPCContext> {
  return createTRPCContext({ session: await sessionClaims(), baseUrl: publicBaseUrl(req) });
}

/** A server component's prefetch (trpc/server.tsx): the page request's headers stand in for the request. */
export async function createServerComponentContext(): Promise<TRPCContext> {
  const h = await headers();
  const origin = `${h.get("x-forwarded-proto") === "https" ? "https" : "http"}://${h.get("host") ?? "localhost"}`;
  return createTRPCContext({ session: await sessionClaims(), baseUrl: publicBaseUrl(new Request(origin)) });
}
