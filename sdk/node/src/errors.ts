/**
 * Every failure the client reports is a CourierXError: an HTTP answer the API gave (with its status, the
 * server's messages and request id) or a request that got no answer (ConnectionError). Catch the subclass
 * you handle, or the base class for all of them.
 */

export interface CourierXErrorInit {
  status?: number;
  errors?: string[];
  requestId?: string;
  headers?: Headers;
  body?: unknown;
  cause?: unknown;
}

export class CourierXError extends Error {
  /** The HTTP status, or undefined when no answer arrived (ConnectionError). */
  readonly status: number | undefined;
  /** The server's messages: a 422's `errors[]`, else the one `error` (empty without an answer). */
  readonly errors: string[];
  /** The server's `X-Request-Id`: quote it when you ask for support. */
  readonly requestId: string | undefined;
  readonly headers: Headers | undefined;
  /** The parsed JSON body of the answer, if any. */
  readonly body: unknown;

  constructor(message: string, init: CourierXErrorInit = {}) {
    super(message, init.cause === undefined ? undefined : { cause: init.cause });
    this.name = new.target.name;
    this.status = init.status;
    this.errors = init.errors ?? [];
    this.requestId = init.requestId;
    this.headers = init.headers;
    this.body = init.body;
  }
}

/** 422: the request was refused by validation; `errors` lists every problem. */
export class ValidationError extends CourierXError {}
/** 401: a missing, unknown or revoked API key (or an expired session token). */
export class AuthenticationError extends CourierXError {}
/** 403: the key may not do this (e.g. a test key changing configuration). */
export class PermissionError extends CourierXError {}
/** 404: no such resource in this account. */
export class NotFoundError extends CourierXError {}
/** 409: the resource is in a state that does not allow this. */
export class ConflictError extends CourierXError {}

/** 429: over the rate limit after the client's own retries. */
export class RateLimitError extends CourierXError {
  /** Seconds the server asked to wait (Retry-After), if it said. */
  readonly retryAfter: number | undefined;

  constructor(message: string, init: CourierXErrorInit & { retryAfter?: number } = {}) {
    super(message, init);
    this.retryAfter = init.retryAfter;
  }
}

/** 5xx: the server failed, after the client's own retries. */
export class ServerError extends CourierXError {}

/** No answer: the connection failed or the request timed out, after the client's own retries. */
export class ConnectionError extends CourierXError {}

/** `webhooks.verify` refused a request: missing headers, a stale timestamp or no matching signature. */
export class WebhookVerificationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "WebhookVerificationError";
  }
}

/** The error for an HTTP answer that is not a success. */
export function errorFromResponse(status: number, headers: Headers, body: unknown, retryAfter: number | undefined): CourierXError {
  const errors = messagesOf(body);
  const init: CourierXErrorInit = { status, errors, headers, body, requestId: headers.get("x-request-id") ?? undefined };
  const message = errors.length > 0 ? errors.join("; ") : `HTTP ${status}`;
  if (status === 422) return new ValidationError(message, init);
  if (status === 401) return new AuthenticationError(message, init);
  if (status === 403) return new PermissionError(message, init);
  if (status === 404) return new NotFoundError(message, init);
  if (status === 409) return new ConflictError(message, init);
  if (status === 429) return new RateLimitError(message, { ...init, ...(retryAfter === undefined ? {} : { retryAfter }) });
  if (status >= 500) return new ServerError(message, init);
  return new CourierXError(message, init);
}

/** `{"errors": [...]}` (422) or `{"error": "..."}` (every other status), as the API documents. */
function messagesOf(body: unknown): string[] {
  if (typeof body !== "object" || body === null) return [];
  const { errors, error } = body as { errors?: unknown; error?: unknown };
  if (Array.isArray(errors)) return errors.filter((e): e is string => typeof e === "string");
  return typeof error === "string" ? [error] : [];
}
