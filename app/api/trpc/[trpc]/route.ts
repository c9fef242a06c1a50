import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
// Registers the outbox dispatcher in this route's bundle, so webhook test sends and replays are requested at once.
import "@/server/jobs/client";
import { env } from "@/server/env";
import { TRPC_MAX_BATCH_SIZE } from "@/server/trpc/init";
import { appRouter } from "@/server/trpc/root";
import { createRequestContext } from "@/server/trpc/request-context";

// GET/POST /api/trpc/* — the dashboard's API (server/trpc/root.ts), signed in with the next-auth session cookie.
// A batch of more than TRPC_MAX_BATCH_SIZE calls is refused (400) before any of them runs.
function handler(req: Request): Promise<Response> {
  return fetchRequestHandler({ endpoint: "/api/trpc", req, router: appRouter, maxBatchSize: TRPC_MAX_BATCH_SIZE, createContext: () => createRequestContext(req) });
}

/**
 * Mutations are POSTs signed in by a cookie, so another site could make a visitor's browser send one (CSRF).
 * A page elsewhere can send a form (multipart/form-data, x-www-form-urlencoded, text/plain) without asking,
 * but not a JSON body, and browsers name the page a request comes from: only a JSON POST from the app's own
 * origin runs anything. The dashboard's client (httpBatchLink) sends application/json from the same origin.
 * Queries are GETs, reads: they stay as they are.
 */
async function POST(req: Request): Promise<Response> {
  const site = req.headers.get("sec-fetch-site");
  if (site === "cross-site" || site === "same-site") return refused(403, "FORBIDDEN", "Cross-site requests are not allowed");
  const origin = req.headers.get("origin");
  if (origin !== null && !isOwnOrigin(origin, req)) return refused(403, "FORBIDDEN", "Cross-origin requests are not allowed");
  const mediaType = req.headers.get("content-type")?.split(";", 1)[0]!.trim().toLowerCase();
  if (mediaType !== "application/json") return refused(415, "UNSUPPORTED_MEDIA_TYPE", "Requests must be sent as application/json");
  return handler(req);
}

/** APP_URL's origin, or the host the browser addressed (Host, or the proxy's X-Forwarded-Host), which a page elsewhere cannot set. */
function isOwnOrigin(origin: string, req: Request): boolean {
  if (!URL.canParse(origin)) return false;
  const url = new URL(origin);
  if (env.APP_URL && url.origin === new URL(env.APP_URL).origin) return true;
  const hosts = [req.headers.get("x-forwarded-host")?.split(",")[0]?.trim(), req.headers.get("host"), new URL(req.url).host];
  return hosts.some((host) => host && host.toLowerCase() === url.host);
}

/** In tRPC's error shape, so a client reads it like any other refusal. */
function refused(status: number, code: string, message: string): Response {
  return Response.json({ error: { message, code: -32600, data: { code, httpStatus: status } } }, { status, headers: { "Cache-Control": "no-store" } });
}

export { handler as GET, POST };
