import { methods, type RouteHandler } from "@/server/http/methods";
import { openApiDocument } from "@/server/openapi/document";

// Public and readable from any origin (a docs site, an editor, a code generator); it holds no account data.
const CORS = { "Access-Control-Allow-Origin": "*", "Access-Control-Allow-Methods": "GET, HEAD, OPTIONS", "Access-Control-Max-Age": "86400" };
const CACHING = { "Cache-Control": "public, max-age=300", Vary: "Accept-Encoding" };

const get: RouteHandler = (req) => {
  const { json, etag } = openApiDocument();
  const headers = { ...CORS, ...CACHING, ETag: etag };
  if (req.headers.get("if-none-match")?.split(/\s*,\s*/).includes(etag)) return Promise.resolve(new Response(null, { status: 304, headers }));
  return Promise.resolve(new Response(json, { status: 200, headers: { ...headers, "Content-Type": "application/json; charset=utf-8" } }));
};

const routed = methods({
  // GET /api/v1/openapi.json — this API's OpenAPI 3.1 document (no authentication)
  GET: get,
});

/** A preflight from another origin gets the CORS answer beside the usual Allow. */
const options: RouteHandler = async (req, ctx) => {
  const res = await routed.OPTIONS(req, ctx);
  if (res.status === 204) for (const [name, value] of Object.entries(CORS)) res.headers.set(name, value);
  return res;
};

export const { GET, HEAD, POST, PUT, PATCH, DELETE } = routed;
export const OPTIONS = options;
