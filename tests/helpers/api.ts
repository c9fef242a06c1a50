/**
 * Drives the real Next.js route handlers with real Request objects: the app/api tree is routed the way
 * Next.js routes it (static segments before [param] before [...catchAll] before [[...optional]]), no server process needed.
 * Like Next.js, it dispatches only the methods Next.js knows, to the route file's own export of that
 * method — a missing export is an error here (Next.js would answer an empty 405), so a test proves the
 * export exists. Like the server patch (server/http/request-stamp.ts), it stamps every request with a
 * socket peer address and hands other methods under /api/ to OPTIONS, marked with the real method.
 */
import { readdirSync } from "node:fs";
import { METHODS } from "node:http";
import path from "node:path";
import { peerHeaderName, ROUTED_METHODS, unroutedMethodHeaderName } from "@/server/http/request-stamp";

type Handler = (req: Request, ctx: { params: Promise<Record<string, string | string[]>> }) => Promise<Response>;
interface RouteFile {
  segments: string[];
  file: string;
}

const appDir = path.resolve(import.meta.dirname, "../../app");

function collectRoutes(): RouteFile[] {
  const files = readdirSync(path.join(appDir, "api"), { recursive: true, encoding: "utf8" }).filter((f) => f.endsWith("route.ts"));
  return files.map((f) => ({ file: path.join(appDir, "api", f), segments: ["api", ...path.dirname(f).split(path.sep).filter((s) => s !== ".")] }));
}

const routes = collectRoutes();

/** Every route file's path as Next.js serves it, e.g. "/api/v1/api_keys/[id]/revoke". */
export function routePaths(): string[] {
  return routes.map((r) => `/${r.segments.join("/")}`).sort();
}

function score(segment: string): number {
  if (segment.startsWith("[[...")) return 3;
  if (segment.startsWith("[...")) return 2;
  if (segment.startsWith("[")) return 1;
  return 0;
}

function match(route: RouteFile, parts: string[]): Record<string, string | string[]> | null {
  const params: Record<string, string | string[]> = {};
  for (let i = 0; i < route.segments.length; i++) {
    const seg = route.segments[i]!;
    // Optional catch-all: zero or more remaining parts.
    if (seg.startsWith("[[...")) {
      params[seg.slice(5, -2)] = parts.slice(i);
      return params;
    }
    if (seg.startsWith("[...")) {
      if (i >= parts.length) return null;
      params[seg.slice(4, -1)] = parts.slice(i);
      return params;
    }
    const part = parts[i];
    if (part === undefined) return null;
    if (seg.startsWith("[")) params[seg.slice(1, -1)] = decodeURIComponent(part);
    else if (seg !== part) return null;
  }
  return route.segments.length === parts.length ? params : null;
}

function resolve(pathname: string): { route: RouteFile; params: Record<string, string | string[]> } | null {
  const parts = pathname.split("/").filter(Boolean);
  const candidates = routes
    .map((route) => ({ route, params: match(route, parts) }))
    .filter((c): c is { route: RouteFile; params: Record<string, string | string[]> } => c.params !== null)
    .sort((a, b) => a.route.segments.map(score).join("").localeCompare(b.route.segments.map(score).join("")));
  return candidates[0] ?? null;
}

export interface ApiResponse<T = any> {
  status: number;
  headers: Headers;
  body: T;
  text: string;
}

export interface RequestOptions {
  token?: string;
  body?: unknown;
  /** Sent as is (for malformed JSON tests). */
  rawBody?: string;
  headers?: Record<string, string>;
  /**
   * The socket peer (client address) of the request. Without it every call comes from a new address, as
   * if each were a different client; give one to make calls come from the same client.
   */
  peer?: string;
}

let peerCounter = 0;

function freshPeer(): string {
  const n = ++peerCounter;
  return `198.18.${(n >> 8) & 255}.${n & 255}`;
}

export async function call<T = any>(method: string, url: string, options: RequestOptions = {}): Promise<ApiResponse<T>> {
  const full = new URL(url, "http://localhost");
  const found = resolve(full.pathname);
  if (!found) throw new Error(`no route file for ${full.pathname}`);
  const headers = new Headers(options.headers);
  let routed = method;
  headers.delete(unroutedMethodHeaderName());
  if (!ROUTED_METHODS.has(method)) {
    // Node refuses methods it does not know; the patch hands the rest under /api/ to OPTIONS.
    if (!METHODS.includes(method) || !full.pathname.startsWith("/api/")) return { status: 400, headers: new Headers(), body: null as T, text: "" };
    headers.set(unroutedMethodHeaderName(), method);
    routed = "OPTIONS";
  }
  const mod = (await import(found.route.file)) as Record<string, Handler | undefined>;
  const handler = mod[routed];
  if (!handler) throw new Error(`${path.relative(appDir, found.route.file)} does not export ${routed}: Next.js would answer an empty 405`);
  if (options.token) headers.set("authorization", `Bearer ${options.token}`);
  // Overwrites a client-sent copy, as the server patch does.
  headers.set(peerHeaderName(), options.peer ?? freshPeer());
  let body: string | undefined = options.rawBody;
  if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    if (!headers.has("content-type")) headers.set("content-type", "application/json");
  }
  // A client declares the length of a body it knows, as fetch and the SDK do over HTTP.
  if (body !== undefined && !headers.has("content-length")) headers.set("content-length", String(Buffer.byteLength(body)));
  return readResponse<T>(await handler(new Request(full, { method: routed, headers, body }), { params: Promise.resolve(found.params) }));
}

/** A response as tests read it: the body parsed as JSON when it is JSON, else the text itself. */
export async function readResponse<T = any>(res: Response): Promise<ApiResponse<T>> {
  const text = await res.text();
  let parsed: unknown = null;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    parsed = text;
  }
  return { status: res.status, headers: res.headers, body: parsed as T, text };
}

export const api = {
  get: <T = any>(url: string, o?: RequestOptions) => call<T>("GET", url, o),
  post: <T = any>(url: string, body?: unknown, o?: RequestOptions) => call<T>("POST", url, { ...o, body }),
  patch: <T = any>(url: string, body?: unknown, o?: RequestOptions) => call<T>("PATCH", url, { ...o, body }),
  delete: <T = any>(url: string, o?: RequestOptions) => call<T>("DELETE", url, o),
};

let counter = 0;
/** Registers a fresh account and returns its JWT and a live API key. */
export async function signUp(name = "Acme"): Promise<{ token: string; apiKey: string; email: string; tenantId: string }> {
  const email = `owner${++counter}-${Date.now()}@example.com`;
  const password = "correct horse battery";
  const reg = await api.post("/api/v1/auth/register", { name, email, password, password_confirmation: password });
  if (reg.status !== 201) throw new Error(`register failed: ${reg.status} ${reg.text}`);
  const key = await api.post("/api/v1/api_keys", { name: "test key" }, { token: reg.body.token });
  if (key.status !== 201) throw new Error(`key failed: ${key.status} ${key.text}`);
  return { token: reg.body.token, apiKey: key.body.raw_key, email, tenantId: reg.body.account.id };
}
