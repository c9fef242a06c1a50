/**
 * Every /api/v1 route file exports every method Next.js routes, through this one helper: a method the
 * route does not implement answers `405 {"error": "Method not allowed"}` with an Allow header (Next.js's
 * own answer is an empty 405), HEAD runs GET without its body, and OPTIONS lists the methods. A method
 * Next.js does not route at all (TRACE, PROPFIND, …) reaches OPTIONS marked by the server patch
 * (request-stamp.ts) and gets the same 405.
 */
import { jsonResponse } from "./api-route";
import { ROUTE_METHODS, unroutedMethod } from "./request-stamp";

export type RouteHandler = (req: Request, ctx: { params: Promise<Record<string, string | string[]>> }) => Promise<Response>;

/** The methods Next.js dispatches to a route file (the server patch hands any other to OPTIONS). */
export type RouteMethod = (typeof ROUTE_METHODS)[number];

type Implemented = Partial<Record<Exclude<RouteMethod, "HEAD" | "OPTIONS">, RouteHandler>>;

export function methods(implemented: Implemented): Record<RouteMethod, RouteHandler> {
  const allow = allowHeader(implemented);
  const notAllowed: RouteHandler = (req) => Promise.resolve(jsonResponse(req, 405, { error: "Method not allowed" }, { Allow: allow }));
  const get = implemented.GET;
  return {
    GET: get ?? notAllowed,
    HEAD: get ? async (req, ctx) => withoutBody(await get(req, ctx)) : notAllowed,
    OPTIONS: (req, ctx) => (unroutedMethod(req) ? notAllowed(req, ctx) : Promise.resolve(new Response(null, { status: 204, headers: { Allow: allow, "Cache-Control": "no-store" } }))),
    POST: implemented.POST ?? notAllowed,
    PUT: implemented.PUT ?? notAllowed,
    PATCH: implemented.PATCH ?? notAllowed,
    DELETE: implemented.DELETE ?? notAllowed,
  };
}

/** Unknown /api/v1 paths: every method answers the seed's 404. */
export function notFoundMethods(): Record<RouteMethod, RouteHandler> {
  const notFound: RouteHandler = (req) => Promise.resolve(jsonResponse(req, 404, { error: "Not found" }));
  return Object.fromEntries(ROUTE_METHODS.map((m) => [m, notFound])) as Record<RouteMethod, RouteHandler>;
}

function allowHeader(implemented: Implemented): string {
  const names = ROUTE_METHODS.filter((m) => m === "OPTIONS" || (m === "HEAD" ? Boolean(implemented.GET) : Boolean(implemented[m])));
  return names.join(", ");
}

async function withoutBody(res: Response): Promise<Response> {
  await res.body?.cancel();
  return new Response(null, { status: res.status, statusText: res.statusText, headers: res.headers });
}
