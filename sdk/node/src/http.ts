/**
 * The one place requests are made: URL and query, JSON in and out, the Bearer key, the per-attempt
 * timeout, retries (retry.ts) and the typed errors (errors.ts). Only requests that are safe to repeat are
 * retried: GET, HEAD, PUT, DELETE, and those the caller marks idempotent (a send with its idempotency key).
 */
import { ConnectionError, CourierXError, errorFromResponse } from "./errors.js";
import { isRetryableStatus, retryDelayMs, serverDelaySeconds } from "./retry.js";
import { SDK_VERSION } from "./version.js";

export type FetchLike = (input: string, init: RequestInit) => Promise<Response>;

export interface HttpOptions {
  apiKey: string | undefined;
  baseUrl: string;
  fetch: FetchLike;
  maxRetries: number;
  timeoutMs: number;
}

export type QueryValue = string | number | boolean | Date | null | undefined;

export interface RequestSpec {
  method: "GET" | "POST" | "PATCH" | "PUT" | "DELETE";
  /** Below /api/v1, e.g. "/emails". */
  path: string;
  query?: Record<string, QueryValue>;
  body?: unknown;
  headers?: Record<string, string>;
  /** Safe to repeat although the method is not (the server deduplicates it). */
  idempotent?: boolean;
}

export interface ApiResponse<T> {
  status: number;
  headers: Headers;
  data: T;
}

const SAFE_METHODS = new Set(["GET", "HEAD", "PUT", "DELETE"]);

export class HttpClient {
  constructor(private readonly options: HttpOptions) {}

  async request<T>(spec: RequestSpec): Promise<ApiResponse<T>> {
    const retryable = spec.idempotent === true || SAFE_METHODS.has(spec.method);
    const url = this.url(spec.path, spec.query);
    const init = this.init(spec);
    for (let attempt = 0; ; attempt++) {
      let outcome: ApiResponse<T> | CourierXError;
      try {
        outcome = await this.attempt<T>(url, init);
      } catch (error) {
        outcome = error instanceof CourierXError ? error : new ConnectionError(`Request to ${spec.method} ${spec.path} failed: ${describe(error)}`, { cause: error });
      }
      if (!(outcome instanceof CourierXError)) return outcome;
      // A DELETE whose earlier attempt did delete (its answer lost) finds nothing the second time: done.
      if (attempt > 0 && spec.method === "DELETE" && outcome.status === 404) return { status: 204, headers: outcome.headers ?? new Headers(), data: undefined as T };
      const again = retryable && attempt < this.options.maxRetries && (outcome.status === undefined || isRetryableStatus(outcome.status));
      const delay = again ? retryDelayMs(attempt, serverDelaySeconds(outcome.status, outcome.headers)) : null;
      if (delay === null) throw outcome;
      await sleep(delay);
    }
  }

  private async attempt<T>(url: string, init: RequestInit): Promise<ApiResponse<T>> {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), this.options.timeoutMs);
    try {
      let response: Response;
      try {
        response = await this.options.fetch(url, { ...init, signal: controller.signal });
      } catch (error) {
        if (controller.signal.aborted) throw new ConnectionError(`No answer within ${this.options.timeoutMs} ms`, { cause: error });
        throw error;
      }
      const text = await response.text();
      const body = parseJson(text);
      if (!response.ok) throw errorFromResponse(response.status, response.headers, body, serverDelaySeconds(response.status, response.headers));
      return { status: response.status, headers: response.headers, data: body as T };
    } finally {
      clearTimeout(timer);
    }
  }

  private url(path: string, query: Record<string, QueryValue> = {}): string {
    const url = new URL(`${this.options.baseUrl.replace(/\/+$/, "")}/api/v1${path}`);
    for (const [key, value] of Object.entries(query)) {
      if (value === undefined || value === null) continue;
      url.searchParams.set(key, value instanceof Date ? value.toISOString() : String(value));
    }
    return url.toString();
  }

  private init(spec: RequestSpec): RequestInit {
    const headers: Record<string, string> = { accept: "application/json", "user-agent": `courierx-node/${SDK_VERSION}`, ...spec.headers };
    if (this.options.apiKey) headers.authorization = `Bearer ${this.options.apiKey}`;
    if (spec.body === undefined) return { method: spec.method, headers };
    headers["content-type"] = "application/json";
    return { method: spec.method, headers, body: JSON.stringify(spec.body) };
  }
}

function parseJson(text: string): unknown {
  if (text === "") return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? `: ${error.cause.message}` : "";
  return `${error.message}${cause}`;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
