/**
 * Authentication folded into the request's own write: the send API's one round trip. For an API key this
 * process has admitted before (its id, tenant and mode are known: authenticate-request.ts), the request is
 * validated and its insert built first, and the key's liveness check, last-used touch and rate-limit count run
 * as CTEs of that insert, which stores nothing unless the key is live and within its limit.
 *
 * Nothing is answered on the provisional principal alone: a route that answers (a 422, any error, or a reply
 * that did not go through the gated write) first settles the authentication the ordinary way (confirm), so
 * 401 and 429 take precedence exactly as when authentication runs first. An unknown key, a key over its limit
 * in this window, and a large or undeclared body never take this path.
 *
 * The price: the key's rate-limit row stays locked until the insert commits, so one key's concurrent sends
 * insert one after another (a millisecond each; far above any per-key limit), and a send waiting on a racing
 * insert of the same idempotency key holds that key's other requests until the racer commits.
 */
import { hashApiKey, isApiKeyFormat } from "../../auth/api-key-format";
import { Prisma } from "../../db";
import { AppError } from "../../lib/errors";
import {
  apiKeyRequestCtes,
  authenticateRequest,
  currentWindow,
  forgetApiKey,
  knownApiKey,
  retryAfterSeconds,
  type ApiKeyPrincipal,
  type RateWindow,
} from "./authenticate-request";

export class DeferredAuth {
  /** Who the key was when this process last admitted it; confirmed by the database before anything is answered. */
  readonly principal: ApiKeyPrincipal;
  /** The request's rate window, once counted. */
  rate: RateWindow | undefined;
  private outcome: "pending" | "admitted" | "refused" = "pending";
  /** The window the gated statement counts in: the one current when the statement is built, not when the request began. */
  private window: ReturnType<typeof currentWindow> | undefined;

  constructor(
    private readonly rawKey: string,
    private readonly keyHash: string,
    principal: ApiKeyPrincipal,
    private readonly limit: number,
  ) {
    this.principal = principal;
  }

  get settled(): boolean {
    return this.outcome !== "pending";
  }

  /**
   * The CTEs (k, touch, rl) to open a statement with, the condition its insert must hold to, and the two
   * columns settle() reads (`__authorized`, `__count`).
   */
  sql(): { ctes: Prisma.Sql; admits: Prisma.Sql; outcome: Prisma.Sql } {
    this.window = currentWindow();
    return {
      ctes: apiKeyRequestCtes(this.keyHash, this.window, this.principal),
      admits: Prisma.sql`EXISTS (SELECT 1 FROM k) AND (SELECT "count" FROM rl) <= ${this.limit}`,
      outcome: Prisma.sql`EXISTS (SELECT 1 FROM k) AS "__authorized", (SELECT "count" FROM rl) AS "__count"`,
    };
  }

  /** Reads the outcome columns of the gated statement: throws 401 or 429 (the statement stored nothing then). */
  settle(row: { __authorized?: boolean | null; __count?: number | bigint | null } | undefined): void {
    if (!row?.__authorized || !this.window) return this.refuse();
    this.admit(Number(row.__count), this.window);
  }

  /** The ordinary authentication (its own statement), for a request that answers without the gated write. */
  async confirm(): Promise<void> {
    if (this.settled) {
      if (this.outcome === "refused") throw this.rateLimitedOrUnauthorized();
      return;
    }
    const auth = await authenticateRequest(this.rawKey, this.limit);
    if (!auth || auth.principal.kind !== "api_key" || auth.principal.apiKeyId !== this.principal.apiKeyId) return this.refuse();
    this.admit(auth.rate.count, currentWindow(auth.rate.resetAt * 1000 - 1));
  }

  private admit(count: number, window: ReturnType<typeof currentWindow>): void {
    this.rate = { limit: this.limit, count, resetAt: window.resetAt };
    if (count > this.limit) {
      // Until the window ends, this key authenticates first: a throttled caller's 429 costs one small
      // statement, never a read body and a refused insert.
      overLimit.set(this.keyHash, window.start);
      this.outcome = "refused";
      throw this.rateLimitedOrUnauthorized();
    }
    this.outcome = "admitted";
  }

  private refuse(): never {
    forgetApiKey(this.keyHash);
    this.outcome = "refused";
    throw AppError.unauthorized();
  }

  private rateLimitedOrUnauthorized(): AppError {
    if (!this.rate) return AppError.unauthorized();
    return new AppError("rate_limited", "Rate limit exceeded", { headers: { "Retry-After": String(retryAfterSeconds(this.rate)) } });
  }
}

/** Keys refused as over their limit, by hash: the window (start) they were over in. */
const overLimit = new Map<string, number>();
const OVER_LIMIT_MAX = 10_000;

/**
 * Bodies larger than this (or of unknown length) authenticate first: the round trip saved is nothing next
 * to reading them, and a refused key must not make the server read megabytes or send them to the database.
 */
const DEFERRED_MAX_BODY_BYTES = 256 * 1024;

/**
 * A deferred authentication for a request whose token is a key this process has admitted before, whose
 * body is small and declared, and which was not over its limit in the current window; else null (the
 * request authenticates first).
 */
export function deferredApiKeyAuth(token: string, limit: number, req: Request): DeferredAuth | null {
  if (!isApiKeyFormat(token)) return null;
  const length = Number(req.headers.get("content-length") ?? NaN);
  if (!(length >= 0 && length <= DEFERRED_MAX_BODY_BYTES)) return null;
  const keyHash = hashApiKey(token);
  const principal = knownApiKey(keyHash);
  if (!principal) return null;
  const throttledIn = overLimit.get(keyHash);
  if (throttledIn !== undefined) {
    if (throttledIn === currentWindow().start) return null;
    overLimit.delete(keyHash);
  }
  if (overLimit.size > OVER_LIMIT_MAX) overLimit.clear();
  return new DeferredAuth(token, keyHash, principal, limit);
}
