/**
 * One registry entry per /api/v1 operation: what the route file passes to apiRoute/publicRoute (the same
 * zod schemas), what it answers, and which of the wrapper's errors can happen. `operation()` turns an entry
 * into the OpenAPI operation with the wrapper's errors and headers filled in, so an entry says only what
 * is particular to its endpoint.
 */
import { z } from "zod";
import type { ZodOpenApiOperationObject, ZodOpenApiResponseObject, ZodOpenApiResponsesObject } from "zod-openapi";
import { BEARER, errorResponses, paginationHeaders, rateHeaders, type ErrorStatus } from "./components";

export type HttpMethod = "get" | "post" | "put" | "patch" | "delete";

export interface OperationEntry {
  method: HttpMethod;
  /** Below /api/v1, with `{id}`-style parameters as the route folders name them (`[id]` → `{id}`). */
  path: string;
  operationId: string;
  tag: string;
  summary: string;
  description?: string;
  /**
   * "bearer" (the default): apiRoute. "public": publicRoute — no credential (register, login), limited per
   * client address instead. "none": outside the wrapper (this document): no credential, no rate limit.
   */
  auth?: "bearer" | "public" | "none";
  /** The route's `allowTestKeys`: a test key may call this non-read operation (the send endpoint). */
  allowTestKeys?: boolean;
  body?: { schema: z.ZodType; example?: unknown; description?: string };
  query?: z.ZodObject;
  headers?: z.ZodObject;
  success: {
    status: 200 | 201 | 202 | 204;
    description: string;
    schema?: z.ZodType;
    example?: unknown;
    /** A list endpoint: the array carries the pagination headers. */
    paginated?: boolean;
    headers?: Record<string, z.ZodType>;
  };
  /** Answers the service itself can give besides the wrapper's (409, a 422 without a body, a second success status). */
  errors?: ErrorStatus[];
  extraResponses?: Record<number, ZodOpenApiResponseObject>;
}

/** The success of a list endpoint: one page of `items` as a JSON array, with the pagination headers. */
export function pageOf(items: z.ZodType, noun: string): OperationEntry["success"] {
  return { status: 200, description: `One page of ${noun}.`, schema: z.array(items), paginated: true };
}

const PATH_PARAM_DESCRIPTIONS: Record<string, string> = {
  id: "The resource's id (a UUID). Another account's id, or anything that is not a UUID, is 404.",
  deliveryId: "The delivery's id (a UUID), one of this endpoint's deliveries.",
};

export function pathParams(path: string): string[] {
  return [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);
}

function pathParamSchema(path: string): z.ZodObject | undefined {
  const names = pathParams(path);
  if (names.length === 0) return undefined;
  return z.object(Object.fromEntries(names.map((n) => [n, z.uuid().meta({ description: PATH_PARAM_DESCRIPTIONS[n] ?? `The ${n} (a UUID).` })])));
}

const READ_METHODS = new Set<HttpMethod>(["get"]);

/** Which of the wrapper's errors an operation can answer, in status order. */
export function wrapperErrors(entry: OperationEntry): ErrorStatus[] {
  if (entry.auth === "none") return entry.errors ?? [];
  const statuses = new Set<ErrorStatus>(entry.errors ?? []);
  if ((entry.auth ?? "bearer") === "bearer") {
    statuses.add(401);
    if (!READ_METHODS.has(entry.method) && !entry.allowTestKeys) statuses.add(403);
  }
  if (pathParams(entry.path).length > 0) statuses.add(404);
  if (entry.body || entry.query) statuses.add(422);
  if (entry.body) {
    statuses.add(408);
    statuses.add(413);
  }
  statuses.add(429);
  statuses.add(500);
  return [...statuses].sort((a, b) => a - b);
}

export function operation(entry: OperationEntry): ZodOpenApiOperationObject {
  const { success } = entry;
  const successResponse: ZodOpenApiResponseObject = {
    description: success.description,
    headers: z.object({ ...(entry.auth === "none" ? {} : rateHeaders), ...(success.paginated ? paginationHeaders : {}), ...success.headers }),
    ...(success.schema ? { content: { "application/json": { schema: success.schema, ...(success.example !== undefined ? { example: success.example } : {}) } } } : {}),
  };
  const responses: Record<string, ZodOpenApiResponseObject> = { [success.status]: successResponse, ...entry.extraResponses };
  for (const status of wrapperErrors(entry)) responses[status] = errorResponses[status];
  const params = pathParamSchema(entry.path);
  return {
    operationId: entry.operationId,
    tags: [entry.tag],
    summary: entry.summary,
    ...(entry.description ? { description: entry.description } : {}),
    security: (entry.auth ?? "bearer") === "bearer" ? [{ [BEARER]: [] }] : [],
    ...(params || entry.query || entry.headers ? { requestParams: { ...(params ? { path: params } : {}), ...(entry.query ? { query: entry.query } : {}), ...(entry.headers ? { header: entry.headers } : {}) } } : {}),
    ...(entry.body
      ? {
          requestBody: {
            required: true,
            ...(entry.body.description ? { description: entry.body.description } : {}),
            content: { "application/json": { schema: entry.body.schema, ...(entry.body.example !== undefined ? { example: entry.body.example } : {}) } },
          },
        }
      : {}),
    responses: responses as ZodOpenApiResponsesObject,
  };
}
