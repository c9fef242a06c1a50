/**
 * The one error type of business code. Services throw AppError with a code; the REST wrapper and the
 * tRPC error formatter are the only places that map codes to HTTP statuses and wire bodies.
 */
export type AppErrorCode =
  | "validation" // 422 {"errors": [...]}
  | "unauthorized" // 401
  | "forbidden" // 403
  | "not_found" // 404
  | "conflict" // 409
  | "rate_limited" // 429
  | "payload_too_large" // 413
  | "request_timeout" // 408
  | "internal"; // 500

export class AppError extends Error {
  readonly code: AppErrorCode;
  /** Readable messages for a validation error, shown to the API user as they are. */
  readonly details: string[];
  /** Extra response headers, e.g. Retry-After for rate limits. */
  readonly headers: Record<string, string>;

  constructor(code: AppErrorCode, message: string, options: { details?: string[]; headers?: Record<string, string>; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.name = "AppError";
    this.code = code;
    this.details = options.details ?? [message];
    this.headers = options.headers ?? {};
  }

  static validation(details: string[] | string): AppError {
    const list = Array.isArray(details) ? details : [details];
    return new AppError("validation", list.join("; "), { details: list });
  }

  static notFound(): AppError {
    return new AppError("not_found", "Not found");
  }

  static unauthorized(): AppError {
    return new AppError("unauthorized", "Unauthorized");
  }
}

export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError;
}
