/**
 * The one wrapper every /api/v1 handler goes through: request id → authentication (API key or JWT) →
 * per-principal rate limit → test-key guard → body/query/params validation → handler → the seed's error
 * bodies (the send endpoint may carry authentication inside its insert instead: RouteOptions.deferAuth).
 * AppError codes (and the Prisma errors of a row deleted meanwhile) become statuses here and
 * nowhere else in the REST layer.
 */
import { randomUUID } from "node:crypto";
import type { z } from "zod";
import { Prisma, sqlState } from "../db";
import { env } from "../env";
import { AppError, isAppError } from "../lib/errors";
import { enterForeground } from "../lib/foreground";
import { isUuid } from "../lib/ids";
import { logger } from "../lib/logger";
import { authenticateRequest, countAnonymousRequest, isTestKey, pruneRateLimitWindows, retryAfterSeconds, type Principal, type RateWindow } from "../services/auth/authenticate-request";
import { deferredApiKeyAuth, type DeferredAuth } from "../services/auth/deferred-auth";
import { DEFAULT_MAX_BODY_BYTES, readJsonBody } from "./body";
import { clientAddress } from "./client-address";
import { findUnstorableText, textProblemMessage } from "./storable-text";
import { formatIssues } from "./validation";

export interface Reply {
  status?: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export function reply(body: unknown, init: Omit<Reply, "body"> = {}): Reply {
  return { ...init, body };
}

interface RouteOptions<TBody, TQuery> {
  body?: z.ZodType<TBody>;
  query?: z.ZodType<TQuery>;
  maxBodyBytes?: number;
  /**
   * Test keys are a sandbox: they may read (GET, HEAD) but every other method is refused before the body
   * is read, unless the route opts in here (the send endpoint, whose test sends end at the sandbox).
   */
  allowTestKeys?: boolean;
  /**
   * For a key this process has admitted before, authentication is handed to the handler as `auth` (a
   * DeferredAuth) for its one write to carry; the wrapper settles it before any answer (deferred-auth.ts).
   */
  deferAuth?: boolean;
}

interface BaseContext<TBody, TQuery> {
  req: Request;
  requestId: string;
  body: TBody;
  query: TQuery;
  params: Record<string, string>;
}

export interface AuthedContext<TBody, TQuery> extends BaseContext<TBody, TQuery> {
  principal: Principal;
  tenantId: string;
  /** Set for a deferAuth route when authentication rides in the handler's write (see RouteOptions.deferAuth). */
  auth?: DeferredAuth;
}

export type PublicContext<TBody, TQuery> = BaseContext<TBody, TQuery>;

type NextHandler = (req: Request, ctx: { params: Promise<Record<string, string | string[]>> }) => Promise<Response>;

/** Unauthenticated endpoints (register, login) are limited per client address to slow down guessing. */
const ANONYMOUS_LIMIT_PER_MINUTE = 30;
const READ_METHODS = new Set(["GET", "HEAD"]);

/** An authenticated /api/v1 endpoint. */
export function apiRoute<TBody = undefined, TQuery = undefined>(
  options: RouteOptions<TBody, TQuery>,
  handler: (ctx: AuthedContext<TBody, TQuery>) => Promise<Reply>,
): NextHandler {
  return wrap(options, async (req, requestId, parse, state) => {
    const token = bearerToken(req);
    const deferred = options.deferAuth && token ? deferredApiKeyAuth(token, env.RATE_LIMIT_PER_MINUTE, req) : null;
    if (deferred && (options.allowTestKeys || !isTestKey(deferred.principal))) {
      return settledFirst(deferred, state, async () => {
        const parsed = await parse();
        return handler({ ...parsed, req, requestId, principal: deferred.principal, tenantId: deferred.principal.tenantId, auth: deferred });
      });
    }
    const auth = token ? await authenticateRequest(token, env.RATE_LIMIT_PER_MINUTE) : null;
    if (!auth) return errorReply(AppError.unauthorized());
    state.rate = auth.rate;
    if (auth.rate.count > auth.rate.limit) return rateLimited(auth.rate);
    if (isTestKey(auth.principal) && !READ_METHODS.has(req.method) && !options.allowTestKeys) {
      return errorReply(new AppError("forbidden", "Test keys cannot change configuration"));
    }
    const parsed = await parse();
    return handler({ ...parsed, req, requestId, principal: auth.principal, tenantId: auth.principal.tenantId });
  });
}

/**
 * Runs a deferred-auth handler, then settles its authentication before answering: whatever the handler
 * answered or threw (a 422 included), a key the database does not admit answers 401, one over its limit 429.
 */
async function settledFirst(auth: DeferredAuth, state: { rate?: RateWindow }, run: () => Promise<Reply>): Promise<Reply> {
  let outcome: { reply: Reply } | { error: unknown };
  try {
    outcome = { reply: await run() };
  } catch (error) {
    outcome = { error };
  }
  try {
    await auth.confirm();
  } finally {
    state.rate = auth.rate;
  }
  if ("error" in outcome) throw outcome.error;
  return outcome.reply;
}

/** An unauthenticated /api/v1 endpoint (register, login), rate limited per client address. */
export function publicRoute<TBody = undefined, TQuery = undefined>(
  options: RouteOptions<TBody, TQuery>,
  handler: (ctx: PublicContext<TBody, TQuery>) => Promise<Reply>,
): NextHandler {
  return wrap(options, async (req, requestId, parse, state) => {
    state.rate = await countAnonymousRequest(clientAddress(req, env.TRUST_PROXY), ANONYMOUS_LIMIT_PER_MINUTE);
    if (state.rate.count > state.rate.limit) return rateLimited(state.rate);
    const parsed = await parse();
    return handler({ ...parsed, req, requestId });
  });
}

/**
 * The same per-address limit for a door outside /api/v1 (the dashboard's next-auth sign-in): counts the
 * request and answers the seconds to wait when it is over the limit, else null.
 */
export async function anonymousLimitExceeded(req: Request): Promise<{ retryAfter: number } | null> {
  const rate = await countAnonymousRequest(clientAddress(req, env.TRUST_PROXY), ANONYMOUS_LIMIT_PER_MINUTE);
  if (rate.count <= rate.limit) return null;
  return { retryAfter: retryAfterSeconds(rate) };
}

type Parsed<TBody, TQuery> = { body: TBody; query: TQuery; params: Record<string, string> };

function wrap<TBody, TQuery>(
  options: RouteOptions<TBody, TQuery>,
  run: (req: Request, requestId: string, parse: () => Promise<Parsed<TBody, TQuery>>, state: { rate?: RateWindow }) => Promise<Reply>,
): NextHandler {
  return async (req, ctx) => {
    const requestId = incomingRequestId(req) ?? randomUUID();
    // The rate window is known as soon as the request is counted, so even a 422 carries the headers.
    const state: { rate?: RateWindow } = {};
    // Foreground work (the local engine gives way to a crowd of it) once the request is parsed: a client
    // trickling its body, or refused before it is read, is no one the engine should wait for.
    let leaveForeground: (() => void) | undefined;
    let result: Reply;
    try {
      const rawParams = await ctx.params;
      const parse = async () => {
        const parsed = await parseRequest(req, rawParams, options);
        leaveForeground ??= enterForeground();
        return parsed;
      };
      result = await run(req, requestId, parse, state);
      await maybePrune();
    } catch (error) {
      result = errorReply(error, requestId, req);
    } finally {
      leaveForeground?.();
    }
    return toResponse(result, requestId, state.rate);
  };
}

async function parseRequest<TBody, TQuery>(req: Request, rawParams: Record<string, string | string[]>, options: RouteOptions<TBody, TQuery>): Promise<Parsed<TBody, TQuery>> {
  const params: Record<string, string> = {};
  for (const [key, value] of Object.entries(rawParams ?? {})) {
    const v = Array.isArray(value) ? value.join("/") : value;
    // Ids are UUIDs: anything else cannot exist, and must not reach a uuid column as a 500.
    if ((key === "id" || key.endsWith("Id")) && !isUuid(v)) throw AppError.notFound();
    params[key] = v.toLowerCase();
  }
  let query = undefined as TQuery;
  if (options.query) {
    const raw = Object.fromEntries(new URL(req.url).searchParams);
    rejectUnstorableText(raw);
    const result = options.query.safeParse(raw, { reportInput: true });
    if (!result.success) throw AppError.validation(formatIssues(result.error.issues));
    query = result.data;
  }
  let body = undefined as TBody;
  if (options.body) {
    const json = await readJsonBody(req, options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES);
    rejectUnstorableText(json);
    const result = options.body.safeParse(json, { reportInput: true });
    if (!result.success) throw AppError.validation(formatIssues(result.error.issues));
    body = result.data;
  }
  return { body, query, params };
}

function rejectUnstorableText(value: unknown): void {
  const problem = findUnstorableText(value);
  if (problem !== null) throw AppError.validation(textProblemMessage(problem));
}

const STATUS: Record<AppError["code"], number> = {
  validation: 422,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  rate_limited: 429,
  payload_too_large: 413,
  request_timeout: 408,
  internal: 500,
};

function errorReply(error: unknown, requestId?: string, req?: Request): Reply {
  if (isRowGone(error)) return errorReply(AppError.notFound());
  // A backstop: the wrapper refuses such text before any service runs (storable-text.ts).
  if (isUnstorableValue(error)) {
    logger.warn("the database refused a value from the request", { requestId, error: error instanceof Error ? error.message.slice(0, 300) : undefined });
    return errorReply(AppError.validation("The request contains a value the database cannot store"));
  }
  if (isAppError(error)) {
    const status = STATUS[error.code];
    const body = status === 422 ? { errors: error.details } : { error: publicMessage(error) };
    return { status, body, headers: error.headers };
  }
  logger.error("unhandled error in API route", { requestId, method: req?.method, path: req ? new URL(req.url).pathname : undefined, error });
  return { status: 500, body: { error: "Internal server error" } };
}

/**
 * (Shared with the tRPC error formatter, so both doors answer alike.)
 * A row that a concurrent request deleted between a service's lookup and its write: "record not found"
 * (P2025) from an update/delete, or a foreign key that no longer resolves (P2003 from the query builder,
 * P2010 with SQLSTATE 23503 from a raw statement such as the email insert).
 */
export function isRowGone(error: unknown): boolean {
  if (!(error instanceof Prisma.PrismaClientKnownRequestError)) return false;
  return error.code === "P2025" || error.code === "P2003" || (error.code === "P2010" && sqlState(error) === "23503");
}

/** Text or dates PostgreSQL refused as values (NUL, bad encoding, out-of-range timestamp): the caller's input. */
export function isUnstorableValue(error: unknown): boolean {
  return error instanceof Prisma.PrismaClientKnownRequestError && ["22021", "22P05", "22008"].includes(sqlState(error) ?? "");
}


export function publicMessage(error: AppError): string {
  switch (error.code) {
    case "unauthorized":
      return "Unauthorized";
    case "not_found":
      return "Not found";
    case "rate_limited":
      return "Rate limit exceeded";
    case "internal":
      return "Internal server error";
    default:
      return error.message;
  }
}

function rateLimited(rate: RateWindow): Reply {
  return { status: 429, body: { error: "Rate limit exceeded" }, headers: { "Retry-After": String(retryAfterSeconds(rate)) } };
}

const UNCOMPRESSED_MAX_BYTES = 4096;

function toResponse(result: Reply, requestId: string, rate: RateWindow | undefined): Response {
  const headers = new Headers(result.headers);
  headers.set("X-Request-Id", requestId);
  headers.set("Cache-Control", "no-store");
  if (rate) {
    headers.set("X-RateLimit-Limit", String(rate.limit));
    headers.set("X-RateLimit-Remaining", String(Math.max(0, rate.limit - rate.count)));
    headers.set("X-RateLimit-Reset", String(rate.resetAt));
  }
  const status = result.status ?? 200;
  if (result.body === undefined || status === 204) return new Response(null, { status, headers });
  headers.set("Content-Type", "application/json; charset=utf-8");
  const text = JSON.stringify(result.body);
  // A small answer (a 202, an error, one email) goes out as it is: gzip would spend more CPU (a fresh zlib
  // stream per response, in `next start`) than the few hundred bytes it saves. no-transform is what the
  // compression layer reads; larger answers (lists, batches) are still compressed for clients that ask.
  if (Buffer.byteLength(text) < UNCOMPRESSED_MAX_BYTES) headers.set("Cache-Control", "no-store, no-transform");
  return new Response(text, { status, headers });
}

function bearerToken(req: Request): string | null {
  const header = req.headers.get("authorization");
  const match = header ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
  return match?.[1] ?? null;
}

function incomingRequestId(req: Request): string | null {
  const id = req.headers.get("x-request-id");
  return id && /^[\w.:-]{1,128}$/.test(id) ? id : null;
}

let requestsSincePrune = 0;
/** Expired rate-limit windows are deleted every few thousand requests, awaited, off no critical path of note. */
async function maybePrune(): Promise<void> {
  if (++requestsSincePrune < 5000) return;
  requestsSincePrune = 0;
  await pruneRateLimitWindows().catch((error: unknown) => logger.warn("pruning rate-limit windows failed", { error }));
}

/** A JSON reply outside an apiRoute (405s and unknown paths), with the same request id and caching headers. */
export function jsonResponse(req: Request, status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return toResponse({ status, body, headers }, incomingRequestId(req) ?? randomUUID(), undefined);
}
