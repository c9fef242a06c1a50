/**
 * What every operation of the document shares: the error bodies the REST wrapper (server/http/api-route.ts)
 * answers, the headers it sets, and the bearer scheme. Operations pick from these through operation.ts.
 */
import { z } from "zod";
import type { ZodOpenApiResponseObject } from "zod-openapi";
import { MAX_PER_PAGE } from "../lib/pagination";

export const validationErrorBody = z
  .object({ errors: z.array(z.string()).min(1).meta({ description: "One readable message per problem, field name first." }) })
  .meta({
    id: "ValidationErrors",
    description: "422: what is wrong with the request, every problem at once.",
    example: { errors: ["from_email can't be blank", "subject can't be blank"] },
  });

export const errorBody = z.object({ error: z.string() }).meta({ id: "Error", description: "Every error other than a 422.", example: { error: "Not found" } });

const unixSeconds = z.string().regex(/^\d+$/);

export const responseHeaders = {
  requestId: z.string().meta({ description: "The request's id (the caller's `X-Request-Id` when it sent a well-formed one), also in the server's logs.", header: { id: "X-Request-Id" } }),
  rateLimit: z.string().regex(/^\d+$/).meta({ description: "Requests allowed per minute for this API key or signed-in user (per client address on register and login).", example: "600", header: { id: "X-RateLimit-Limit" } }),
  rateRemaining: z.string().regex(/^\d+$/).meta({ description: "Requests left in the current one-minute window.", example: "599", header: { id: "X-RateLimit-Remaining" } }),
  rateReset: unixSeconds.meta({ description: "When the current window ends, in Unix seconds.", example: "1774175460", header: { id: "X-RateLimit-Reset" } }),
  retryAfter: z.string().regex(/^\d+$/).meta({ description: "Seconds to wait before the next request counts in a new window.", example: "12", header: { id: "Retry-After" } }),
  totalCount: z.string().regex(/^\d+$/).meta({ description: "How many items match, over all pages.", example: "137", header: { id: "X-Total-Count" } }),
  page: z.string().regex(/^\d+$/).meta({ description: "This page's number (from 1).", example: "1", header: { id: "X-Page" } }),
  perPage: z.string().regex(/^\d+$/).meta({ description: `Items per page (1–${MAX_PER_PAGE}).`, example: "25", header: { id: "X-Per-Page" } }),
  idempotentReplayed: z.literal("true").meta({
    description: "Present when this answer is the email first accepted under the same idempotency key (no second email was created).",
    header: { id: "Idempotent-Replayed" },
  }),
};

/** Headers on every answer that went through the rate limiter (all but a 401, which is refused before it). */
export const rateHeaders = {
  "X-Request-Id": responseHeaders.requestId,
  "X-RateLimit-Limit": responseHeaders.rateLimit,
  "X-RateLimit-Remaining": responseHeaders.rateRemaining,
  "X-RateLimit-Reset": responseHeaders.rateReset,
};

export const paginationHeaders = {
  "X-Total-Count": responseHeaders.totalCount,
  "X-Page": responseHeaders.page,
  "X-Per-Page": responseHeaders.perPage,
};

type HeaderShape = Record<string, z.ZodType>;

function errorResponse(id: string, description: string, example: unknown, headers: HeaderShape = rateHeaders, body: z.ZodType = errorBody): ZodOpenApiResponseObject {
  return { id, description, headers: z.object(headers), content: { "application/json": { schema: body, example } } };
}

/** The error answers, each registered once under components.responses and referenced by the operations. */
export const errorResponses = {
  401: errorResponse("Unauthorized", "No `Authorization: Bearer …` header, or a key that is unknown, revoked or deleted, or a session token that expired or was signed out. Refused before the rate limit counts it.", { error: "Unauthorized" }, { "X-Request-Id": responseHeaders.requestId }),
  403: errorResponse("Forbidden", "A test key (`cxk_test_…`) is a sandbox: it may read, and send to the sandbox, but changes nothing. Refused before the body is read.", { error: "Test keys cannot change configuration" }),
  404: errorResponse("NotFound", "No such row in this account (another account's id is not found either), or an id that is not a UUID.", { error: "Not found" }),
  408: errorResponse("RequestTimeout", "The request body did not arrive within 30 seconds.", { error: "Request body not received within 30 s" }),
  409: errorResponse("Conflict", "The row is being changed by another request, or is in a state that does not allow this.", { error: "The secret is being rotated by another request; try again" }),
  413: errorResponse("PayloadTooLarge", "The body is larger than this endpoint accepts (256 KB; 16 MB for a send).", { error: "Request body exceeds 256 KB" }),
  422: errorResponse(
    "ValidationFailed",
    "The request is not valid: fields, query parameters, a missing or wrong `Content-Type` (must be `application/json`), malformed JSON, or a rule of the service (a domain already registered, a connection that does not exist). All problems are listed.",
    { errors: ["from_email can't be blank", "subject can't be blank"] },
    rateHeaders,
    validationErrorBody,
  ),
  429: errorResponse("RateLimited", "Over the per-minute limit. Wait `Retry-After` seconds.", { error: "Rate limit exceeded" }, { ...rateHeaders, "Retry-After": responseHeaders.retryAfter }),
  500: errorResponse("InternalError", "Something failed on our side; the request id is in the logs.", { error: "Internal server error" }, { "X-Request-Id": responseHeaders.requestId }),
} satisfies Record<number, ZodOpenApiResponseObject>;

export type ErrorStatus = keyof typeof errorResponses;

export const BEARER = "bearerAuth";

export const securitySchemes = {
  [BEARER]: {
    type: "http" as const,
    scheme: "bearer",
    description:
      "`Authorization: Bearer <credential>`. The credential is an API key — `cxk_live_…` (everything in the account) or `cxk_test_…` (the sandbox: reads, and sends that end in the built-in sandbox) — or the session JWT returned by `POST /auth/register` and `POST /auth/login` (24 hours).",
  },
};
