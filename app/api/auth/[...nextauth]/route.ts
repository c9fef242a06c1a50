import NextAuth from "next-auth";
import type { NextRequest } from "next/server";
import { SIGN_IN_RATE_LIMITED, authOptions } from "@/server/auth/next-auth";
import { anonymousLimitExceeded } from "@/server/http/api-route";

type Context = { params: Promise<{ nextauth: string[] }> };

// GET/POST /api/auth/* — next-auth: csrf, session, credentials sign-in (server/auth/next-auth.ts), sign-out
function GET(req: NextRequest, ctx: Context): Promise<Response> {
  return NextAuth(req, ctx, authOptions());
}

// POST /api/auth/callback/credentials — sign-in, under the per-address limit of the REST login (30 a minute);
// the per-account failed-login limit is applied by the login service itself
async function POST(req: NextRequest, ctx: Context): Promise<Response> {
  const [action, provider] = (await ctx.params).nextauth;
  if (action === "callback" && provider === "credentials") {
    const limited = await anonymousLimitExceeded(req);
    if (limited) return signInRefused(req, limited.retryAfter);
  }
  return NextAuth(req, ctx, authOptions());
}

/** In the form next-auth's signIn() reads ({ url } with ?error=), so the sign-in page shows it like its own errors. */
function signInRefused(req: Request, retryAfter: number): Response {
  const url = new URL(`/sign-in?error=${SIGN_IN_RATE_LIMITED}`, req.url);
  return Response.json({ url: url.toString() }, { status: 429, headers: { "Retry-After": String(retryAfter), "Cache-Control": "no-store" } });
}

export { GET, POST };
