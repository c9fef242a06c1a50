/**
 * What a dashboard session (next-auth's encrypted JWT cookie) must prove to count, checked in every place that
 * reads one: next-auth's jwt callback (GET /api/auth/session re-issues the cookie), the tRPC request and page
 * contexts, and the procedure ladder.
 *
 * next-auth's JWT sessions roll: every session read re-issues the cookie with a fresh expiry, so on its own a
 * stolen cookie that is polled never expires. `authTime` (set once, at sign-in, and carried unchanged through
 * every re-issue) caps a session at SESSION_MAX_AGE_SECONDS after its sign-in whatever the cookie's expiry.
 * `sessionVersion` is the user's User.sessionVersion at sign-in: bumping the row (sign-out, removal, role
 * change: server/services/accounts/end-user-sessions.ts) ends every copy signed in before.
 */
import { isUuid } from "../lib/ids";

/** 24 h from sign-in, as the REST session JWTs; never extended. */
export const SESSION_MAX_AGE_SECONDS = 24 * 60 * 60;

/** A sign-in time this far ahead of our clock is a clock difference between instances, not a forgery. */
const CLOCK_SKEW_SECONDS = 60;

/** What a live dashboard session proves: who signed in, for which tenant, when, at which session version. */
export interface SessionClaims {
  userId: string;
  tenantId: string;
  /** The user's User.sessionVersion when they signed in; a session of another version has ended. */
  sessionVersion: number;
  /** Unix seconds of the sign-in. */
  authTime: number;
}

export function nowSeconds(now = Date.now()): number {
  return Math.floor(now / 1000);
}

/**
 * The claims of a session that may still count (well-formed and signed in less than SESSION_MAX_AGE_SECONDS
 * ago), or null. Whether its version is still the user's is a database question: sessionIsCurrent, or the
 * tenant check of tRPC (countUserRequest).
 */
export function liveSessionClaims(token: Partial<Record<keyof SessionClaims, unknown>> | null | undefined, now = Date.now()): SessionClaims | null {
  if (!token) return null;
  const { userId, tenantId, sessionVersion, authTime } = token;
  if (typeof userId !== "string" || !isUuid(userId) || typeof tenantId !== "string" || !isUuid(tenantId)) return null;
  if (!Number.isSafeInteger(sessionVersion) || (sessionVersion as number) < 0) return null;
  if (!Number.isSafeInteger(authTime)) return null;
  const age = nowSeconds(now) - (authTime as number);
  if (age >= SESSION_MAX_AGE_SECONDS || age < -CLOCK_SKEW_SECONDS) return null;
  return { userId: userId.toLowerCase(), tenantId: tenantId.toLowerCase(), sessionVersion: sessionVersion as number, authTime: authTime as number };
}
