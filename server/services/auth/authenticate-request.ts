/**
 * Resolves a bearer token to its tenant and counts the request against the principal's rate-limit window,
 * in ONE database round trip per request (key lookup, last-used touch, window increment), so a revoked or
 * deleted key is refused at once: no verdict is cached. The send API folds the same round trip into its insert
 * for keys this process has seen (deferred-auth.ts).
 */
import { hashApiKey, isApiKeyFormat } from "../../auth/api-key-format";
import { looksLikeJwt, verifySessionToken } from "../../auth/jwt";
import { DB_NOW, getDb, Prisma } from "../../db";

export type Principal =
  | { kind: "api_key"; tenantId: string; apiKeyId: string; mode: "live" | "test" }
  /** mode "test": a signed-in user acting as a test key does (the dashboard's sandbox test send); never from a token. */
  | { kind: "user"; tenantId: string; userId: string; mode?: "test" };

/** A cxk_test_ key (or a user in test mode): a sandbox that sends only to the built-in sandbox and sees only test emails. */
export function isTestKey(principal: Principal): boolean {
  return principal.mode === "test";
}

export interface RateWindow {
  limit: number;
  /** Requests counted in the current window, this one included. */
  count: number;
  /** Unix seconds at which the window resets. */
  resetAt: number;
}

export interface AuthenticatedRequest {
  principal: Principal;
  rate: RateWindow;
}

const WINDOW_MS = 60_000;
/** last_used_at is written at most this often per key: no write per request. */
const TOUCH_INTERVAL_SECONDS = 60;

/** Whole seconds until a window resets (at least 1): a 429's Retry-After. */
export function retryAfterSeconds(rate: Pick<RateWindow, "resetAt">, now = Date.now()): number {
  return Math.max(1, Math.ceil(rate.resetAt - now / 1000));
}

export function currentWindow(now = Date.now()): { start: number; resetAt: number; expiresAt: Date } {
  const start = Math.floor(now / WINDOW_MS) * WINDOW_MS;
  return { start, resetAt: (start + WINDOW_MS) / 1000, expiresAt: new Date(start + WINDOW_MS * 2) };
}

export async function authenticateRequest(token: string, limit: number, now = Date.now()): Promise<AuthenticatedRequest | null> {
  const window = currentWindow(now);
  if (isApiKeyFormat(token)) return authenticateApiKey(token, limit, window);
  if (looksLikeJwt(token)) return authenticateSession(token, limit, window);
  return null;
}

async function authenticateApiKey(rawKey: string, limit: number, window: ReturnType<typeof currentWindow>): Promise<AuthenticatedRequest | null> {
  const db = await getDb();
  const keyHash = hashApiKey(rawKey);
  const rows = await db.$queryRaw<{ id: string; tenantId: string; mode: "live" | "test"; count: number }[]>(Prisma.sql`
    WITH ${apiKeyRequestCtes(keyHash, window)}
    SELECT k."id", k."tenantId", k."mode", (SELECT "count" FROM rl) AS "count" FROM k`);
  const row = rows[0];
  if (!row) return null;
  const principal = { kind: "api_key", tenantId: row.tenantId, apiKeyId: row.id, mode: row.mode } as const;
  rememberApiKey(keyHash, principal);
  return { principal, rate: { limit, count: Number(row.count), resetAt: window.resetAt } };
}

/**
 * An API key request's authentication as CTEs of a statement: `k` (the live key, its row; with `expected`,
 * only if it is still that key of that tenant, in that mode), `touch` (last_used_at, at most once a minute) and `rl` (the
 * request counted in the key's window; `count` is this request's number in it). Nothing is counted for a key
 * that is revoked, deleted or unknown.
 */
export function apiKeyRequestCtes(keyHash: string, window: ReturnType<typeof currentWindow>, expected?: ApiKeyPrincipal): Prisma.Sql {
  const same = expected ? Prisma.sql`AND "id" = ${expected.apiKeyId}::uuid AND "tenantId" = ${expected.tenantId}::uuid AND "mode"::text = ${expected.mode}` : Prisma.empty;
  return Prisma.sql`k AS (
      SELECT "id", "tenantId", "mode"::text AS "mode", "lastUsedAt" FROM "ApiKey"
      WHERE "keyHash" = ${keyHash} AND "revokedAt" IS NULL ${same}
    ), touch AS (
      UPDATE "ApiKey" SET "lastUsedAt" = ${DB_NOW} FROM k
      WHERE "ApiKey"."id" = k."id" AND (k."lastUsedAt" IS NULL OR k."lastUsedAt" < ${DB_NOW} - make_interval(secs => ${TOUCH_INTERVAL_SECONDS}))
      RETURNING 1
    ), rl AS (
      INSERT INTO "RateLimitWindow" ("key", "count", "expiresAt")
      SELECT 'key:' || k."id" || ':' || ${String(window.start)}, 1, ${window.expiresAt} FROM k
      ON CONFLICT ("key") DO UPDATE SET "count" = "RateLimitWindow"."count" + 1
      RETURNING "count"
    )`;
}

export type ApiKeyPrincipal = Extract<Principal, { kind: "api_key" }>;

/**
 * What authentication learned of the keys it admitted, by key hash: id, tenant and mode, which never change
 * for a key. No secret, and no verdict: whether the key is still live is asked of the database on every
 * request (deferred-auth.ts asks it inside the request's own write). Bounded; the oldest entry goes first.
 */
const knownKeys = new Map<string, ApiKeyPrincipal>();
const KNOWN_KEYS_MAX = 10_000;

function rememberApiKey(keyHash: string, principal: ApiKeyPrincipal): void {
  knownKeys.delete(keyHash);
  knownKeys.set(keyHash, principal);
  if (knownKeys.size > KNOWN_KEYS_MAX) knownKeys.delete(knownKeys.keys().next().value!);
}

/** The key this hash belonged to when it last authenticated in this process, if it did. */
export function knownApiKey(keyHash: string): ApiKeyPrincipal | undefined {
  return knownKeys.get(keyHash);
}

/** Forgets a key the database no longer admits (revoked or deleted). */
export function forgetApiKey(keyHash: string): void {
  knownKeys.delete(keyHash);
}

async function authenticateSession(token: string, limit: number, window: ReturnType<typeof currentWindow>): Promise<AuthenticatedRequest | null> {
  const claims = await verifySessionToken(token);
  if (!claims) return null;
  return countUserRequest(claims, limit, window);
}

export interface UserRequest extends AuthenticatedRequest {
  principal: Extract<Principal, { kind: "user" }>;
  /** The user's role as it is now (the dashboard's permissions). */
  role: "owner" | "admin" | "member";
}

/**
 * A signed-in user's request (a REST session JWT, or the dashboard's next-auth session): the user must still
 * exist in that tenant — a deleted user's session stops working at once — and the request counts against the
 * user's rate-limit window, one window for both doors, in one round trip. A dashboard session also names the
 * session version it was signed in at: once the user's has moved on (signed out, removed, role changed), the
 * session is refused like a deleted user's, and counts nothing.
 */
export async function countUserRequest(
  claims: { userId: string; tenantId: string; sessionVersion?: number },
  limit: number,
  window: ReturnType<typeof currentWindow> = currentWindow(),
): Promise<UserRequest | null> {
  const db = await getDb();
  const version = claims.sessionVersion === undefined ? Prisma.empty : Prisma.sql`AND "sessionVersion" = ${claims.sessionVersion}`;
  const rows = await db.$queryRaw<{ id: string; role: UserRequest["role"]; count: number }[]>(Prisma.sql`
    WITH u AS (
      SELECT "id", "role"::text AS "role" FROM "User" WHERE "id" = ${claims.userId}::uuid AND "tenantId" = ${claims.tenantId}::uuid ${version}
    ), rl AS (
      INSERT INTO "RateLimitWindow" ("key", "count", "expiresAt")
      SELECT 'user:' || u."id" || ':' || ${String(window.start)}, 1, ${window.expiresAt} FROM u
      ON CONFLICT ("key") DO UPDATE SET "count" = "RateLimitWindow"."count" + 1
      RETURNING "count"
    )
    SELECT u."id", u."role", (SELECT "count" FROM rl) AS "count" FROM u`);
  const row = rows[0];
  if (!row) return null;
  return {
    principal: { kind: "user", tenantId: claims.tenantId, userId: claims.userId },
    role: row.role,
    rate: { limit, count: Number(row.count), resetAt: window.resetAt },
  };
}

/** Counts an unauthenticated request (register, login) against its client address. */
export async function countAnonymousRequest(clientKey: string, limit: number, now = Date.now()): Promise<RateWindow> {
  const window = currentWindow(now);
  const db = await getDb();
  const rows = await db.$queryRaw<{ count: number }[]>(Prisma.sql`
    INSERT INTO "RateLimitWindow" ("key", "count", "expiresAt")
    VALUES (${`anon:${clientKey}:${window.start}`}, 1, ${window.expiresAt})
    ON CONFLICT ("key") DO UPDATE SET "count" = "RateLimitWindow"."count" + 1
    RETURNING "count"`);
  return { limit, count: Number(rows[0]?.count ?? 1), resetAt: window.resetAt };
}

/** Drops windows that ended; called now and then, so the table stays small. */
export async function pruneRateLimitWindows(now = new Date()): Promise<number> {
  const db = await getDb();
  const { count } = await db.rateLimitWindow.deleteMany({ where: { expiresAt: { lt: now } } });
  return count;
}
