/**
 * tRPC for the dashboard, top to bottom: context → setup (AppError codes → tRPC codes, in this file only) →
 * the procedure ladder. Every rung adds one proof to the context and hands it on:
 *
 *   publicProcedure → authedProcedure (a session, else UNAUTHORIZED)
 *     → tenantProcedure (the user still belongs to the session's tenant: role as it is now; rate limited)
 *       → adminProcedure (owner or admin, else FORBIDDEN)
 *   and resource procedures (`resourceProcedures`) that load the row by { id, tenantId } through the
 *   service's get-or-throw (NOT_FOUND otherwise) and hand it to the handler.
 *
 * Handlers call the same services as the REST routes and answer with the same presenters.
 */
import { initTRPC, TRPCError, type TRPC_ERROR_CODE_KEY } from "@trpc/server";
import { z } from "zod";
import { isRowGone, isUnstorableValue, publicMessage } from "../http/api-route";
import { findUnstorableText, textProblemMessage, type TextProblem } from "../http/storable-text";
import { formatIssues } from "../http/validation";
import { AppError, isAppError, type AppErrorCode } from "../lib/errors";
import { isUuid } from "../lib/ids";
import { paginationQuery, type Pagination } from "../lib/pagination";
import { logger } from "../lib/logger";
import { env } from "../env";
import { liveSessionClaims, type SessionClaims } from "../auth/dashboard-session";
import { countUserRequest, retryAfterSeconds } from "../services/auth/authenticate-request";

/** What a next-auth session proves (server/auth/dashboard-session.ts). Re-checked against the database per call. */
export type { SessionClaims };

export interface TRPCContext {
  session: SessionClaims | null;
  /** Where the app is reached from outside (APP_URL, else the request's origin): the provider event URLs. */
  baseUrl: string;
}

/** The context of one call: from the request's session (server/trpc/request-context.ts) or a test's session. */
export function createTRPCContext(options: { session: SessionClaims | null; baseUrl: string }): TRPCContext {
  return { session: options.session, baseUrl: options.baseUrl };
}

const TRPC_CODE: Record<AppErrorCode, TRPC_ERROR_CODE_KEY> = {
  validation: "BAD_REQUEST",
  unauthorized: "UNAUTHORIZED",
  forbidden: "FORBIDDEN",
  not_found: "NOT_FOUND",
  conflict: "CONFLICT",
  rate_limited: "TOO_MANY_REQUESTS",
  payload_too_large: "PAYLOAD_TOO_LARGE",
  request_timeout: "TIMEOUT",
  internal: "INTERNAL_SERVER_ERROR",
};

/**
 * Most calls one HTTP request to /api/trpc may batch (app/api/trpc/[trpc]/route.ts); more is refused before any
 * runs, so one request cannot fan out into unbounded work. The browser client splits its batches at the same
 * size (trpc/client.tsx maxItems).
 */
export const TRPC_MAX_BATCH_SIZE = 20;

const INTERNAL_MESSAGE = "Internal server error";

/** Internal errors already logged (by toTRPCError, or by the formatter for a batch sharing one context error). */
const loggedInternalErrors = new WeakSet<TRPCError>();

function logInternalError(error: TRPCError, message: string, path: string | undefined): void {
  if (loggedInternalErrors.has(error)) return;
  loggedInternalErrors.add(error);
  logger.error(message, { path, error: error.cause ?? error });
}

/** The one place a thrown error becomes a tRPC error: an AppError by its code, anything unknown a bare 500. */
function toTRPCError(error: TRPCError, path: string): TRPCError {
  const cause = error.cause;
  if (isRowGone(cause)) return new TRPCError({ code: "NOT_FOUND", message: "Not found", cause: AppError.notFound() });
  if (isUnstorableValue(cause)) {
    const appError = AppError.validation("The request contains a value the database cannot store");
    return new TRPCError({ code: "BAD_REQUEST", message: appError.message, cause: appError });
  }
  if (isAppError(cause)) return new TRPCError({ code: TRPC_CODE[cause.code], message: publicMessage(cause), cause });
  if (error.code !== "INTERNAL_SERVER_ERROR") return error;
  logInternalError(error, "unhandled error in tRPC procedure", path);
  const bare = new TRPCError({ code: "INTERNAL_SERVER_ERROR", message: INTERNAL_MESSAGE });
  loggedInternalErrors.add(bare);
  return bare;
}

/** Forms nest the edited fields under `data` beside the id: their field names are relative to the form. */
function formIssues(issues: readonly z.core.$ZodIssue[]): z.core.$ZodIssue[] {
  return issues.map((issue) => (issue.path[0] === "data" ? { ...issue, path: issue.path.slice(1) } : issue));
}

function validationData(cause: unknown): { errors: string[]; fieldErrors: Record<string, string[]> } | null {
  if (cause instanceof z.ZodError) {
    const fieldErrors: Record<string, string[]> = {};
    const issues = formIssues(cause.issues);
    for (const issue of issues) {
      const field = issue.path.map(String).join(".");
      (fieldErrors[field] ??= []).push(formatIssues([issue])[0]!);
    }
    return { errors: formatIssues(issues), fieldErrors };
  }
  if (isAppError(cause) && cause.code === "validation") return { errors: cause.details, fieldErrors: {} };
  return null;
}

/** `error.data` as the dashboard receives it: forms map `fieldErrors` (or show `errors`) next to their inputs. */
export interface TRPCErrorData {
  code: TRPC_ERROR_CODE_KEY;
  httpStatus: number;
  path?: string;
  /** Validation: the REST 422's sentences, e.g. "name can't be blank". */
  errors?: string[];
  /** Validation: the same sentences by field path relative to the form ("name", "conditions.tags"). */
  fieldErrors?: Record<string, string[]>;
  /** Rate limited: seconds until it may be tried again. */
  retryAfter?: number;
}

const t = initTRPC.context<TRPCContext>().create({
  errorFormatter({ shape, error, path }) {
    // No stack, ever: the dashboard is a public client.
    const data: TRPCErrorData = { code: shape.data.code, httpStatus: shape.data.httpStatus, path: shape.data.path };
    // Whatever its origin — a procedure, creating the context, the adapter — an internal error's message is
    // the log's, never the client's: what reaches here outside the procedures (context creation) is logged now.
    if (error.code === "INTERNAL_SERVER_ERROR") {
      logInternalError(error, "unhandled error in tRPC request", path);
      return { ...shape, message: INTERNAL_MESSAGE, data };
    }
    const validation = error.code === "BAD_REQUEST" ? validationData(error.cause) : null;
    if (validation) return { ...shape, message: validation.errors.join("; "), data: { ...data, ...validation } };
    if (isAppError(error.cause) && error.cause.headers["Retry-After"]) data.retryAfter = Number(error.cause.headers["Retry-After"]);
    return { ...shape, data };
  },
});

export const createTRPCRouter = t.router;
export const createCallerFactory = t.createCallerFactory;

/** A text problem named as the form names the field: under `data` (an update's fields, a send's) relative to it, as formIssues does. */
function formProblem(problem: TextProblem): TextProblem {
  return problem.kind === "unstorable" && problem.path.startsWith("data.") ? { ...problem, path: problem.path.slice("data.".length) } : problem;
}

/**
 * Every procedure: text PostgreSQL cannot store is refused before any service runs (as the REST wrapper
 * does), and whatever a handler throws leaves through toTRPCError.
 */
const errorsAndInput = t.middleware(async ({ next, getRawInput, path }) => {
  const problem = findUnstorableText(await getRawInput());
  if (problem !== null) {
    const cause = AppError.validation(textProblemMessage(formProblem(problem)));
    throw new TRPCError({ code: "BAD_REQUEST", message: cause.message, cause });
  }
  const result = await next();
  if (!result.ok) throw toTRPCError(result.error, path);
  return result;
});

export const publicProcedure = t.procedure.use(errorsAndInput);

/** A well-formed session signed in less than 24 h ago (a context may be older than its session's last check). */
export const authedProcedure = publicProcedure.use(({ ctx, next }) => {
  const session = liveSessionClaims(ctx.session);
  if (!session) throw AppError.unauthorized();
  return next({ ctx: { session } });
});

/**
 * The user still belongs to the session's tenant (role as it is now) at the session's version (not signed
 * out, removed or changed since), and the call counts against the user's rate-limit window, the same window
 * as their REST session requests (RATE_LIMIT_PER_MINUTE).
 */
export const tenantProcedure = authedProcedure.use(async ({ ctx, next }) => {
  const auth = await countUserRequest(ctx.session, env.RATE_LIMIT_PER_MINUTE);
  if (!auth) throw AppError.unauthorized();
  if (auth.rate.count > auth.rate.limit) {
    throw new AppError("rate_limited", "Rate limit exceeded", { headers: { "Retry-After": String(retryAfterSeconds(auth.rate)) } });
  }
  const { principal, role } = auth;
  return next({ ctx: { userId: principal.userId, tenantId: principal.tenantId, role, principal } });
});

export const adminProcedure = tenantProcedure.use(({ ctx, next }) => {
  if (ctx.role !== "owner" && ctx.role !== "admin") throw new AppError("forbidden", "Only owners and admins can change configuration");
  return next();
});

/** The id of a tenant-owned row. Not a UUID: it cannot exist (NOT_FOUND, as in REST), never a 500 from a uuid column. */
export const idInput = z.object({ id: z.string() });

export function parseId(id: string): string {
  if (!isUuid(id)) throw AppError.notFound();
  return id.toLowerCase();
}

/**
 * A resource's two procedures, for reads (tenantProcedure) and changes (adminProcedure): the row is loaded by
 * { id, tenantId } through the service's get-or-throw and handed to the handler as ctx[key].
 */
export function resourceProcedures<K extends string, Row>(key: K, load: (tenantId: string, id: string) => Promise<Row>) {
  const attach = async (tenantId: string, id: string) => ({ [key]: await load(tenantId, parseId(id)) }) as Record<K, Row>;
  return {
    read: tenantProcedure.input(idInput).use(async ({ ctx, input, next }) => next({ ctx: await attach(ctx.tenantId, input.id) })),
    admin: adminProcedure.input(idInput).use(async ({ ctx, input, next }) => next({ ctx: await attach(ctx.tenantId, input.id) })),
  };
}

/** A list's input: the REST list's query (page, per_page and its filters), all optional. */
export function listInput<S extends z.ZodRawShape = Record<never, never>>(filters?: z.ZodObject<S>) {
  const schema = paginationQuery.extend((filters?.shape ?? {}) as S);
  // Every list filter is optional, so "no input" is the first page unfiltered.
  return schema.prefault({} as z.input<typeof schema>);
}

/** A page of a list, with what REST puts in X-Total-Count, X-Page and X-Per-Page. */
export function paged<T>(items: T[], total: number, query: Pagination) {
  return { items, total, page: query.page, per_page: query.per_page };
}
