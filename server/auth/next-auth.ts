/**
 * Dashboard sign-in (next-auth 4): email + password over the same users, scrypt hashes and per-account
 * failed-login limit as POST /api/v1/auth/login — `authorize` calls the same logIn service. Sessions are
 * JWTs in an encrypted cookie carrying the user, tenant and role, the sign-in time and the user's session
 * version (server/auth/dashboard-session.ts); tRPC re-checks them against the database on every call
 * (server/trpc/init.ts), so a removed user or a changed role takes effect at once. A session lasts 24 h from
 * its sign-in however often its cookie is re-issued, and signing out ends every copy of it.
 */
import type { AuthOptions, Session } from "next-auth";
import { encode, type JWT, type JWTEncodeParams } from "next-auth/jwt";
import CredentialsProvider from "next-auth/providers/credentials";
import { getNextAuthSecret, shareAppUrlWithNextAuth } from "../env";
import { isAppError } from "../lib/errors";
import { logger } from "../lib/logger";
import { endSignedOutSession } from "../services/accounts/end-user-sessions";
import { logIn } from "../services/accounts/log-in";
import { loginInput } from "../services/accounts/schemas";
import { sessionIsCurrent } from "../services/auth/dashboard-session";
import { liveSessionClaims, nowSeconds, SESSION_MAX_AGE_SECONDS } from "./dashboard-session";

export type UserRole = "owner" | "admin" | "member";

export interface SessionUser {
  id: string;
  tenantId: string;
  role: UserRole;
  email: string;
  name: string;
}

declare module "next-auth" {
  interface Session {
    user: SessionUser;
  }
}

/** What authorize hands to the jwt callback at sign-in: the session's user and the version it signs in at. */
export interface AuthorizedUser extends SessionUser {
  sessionVersion: number;
}

declare module "next-auth/jwt" {
  interface JWT {
    userId?: string;
    tenantId?: string;
    role?: UserRole;
    /** User.sessionVersion at sign-in. */
    sessionVersion?: number;
    /** Unix seconds of the sign-in; copied unchanged into every re-issued cookie. */
    authTime?: number;
  }
}

/** The error code next-auth hands to the sign-in page (?error=…) when the account's failed-login limit is reached. */
export const SIGN_IN_RATE_LIMITED = "RateLimited";

/** Thrown by the jwt callback for a session that no longer counts: next-auth then clears its cookie. */
class SessionEnded extends Error {
  override name = "SessionEnded";
}

/**
 * null for a wrong email or password (next-auth's "CredentialsSignin"); throws SIGN_IN_RATE_LIMITED once the
 * account's failed-login limit is reached, even for the right password.
 */
export async function authorizeCredentials(credentials: Record<string, unknown> | undefined): Promise<AuthorizedUser | null> {
  // next-auth passes the whole form (csrfToken, callbackUrl…): only the two fields go to the strict schema.
  const parsed = loginInput.safeParse({ email: credentials?.email, password: credentials?.password });
  if (!parsed.success) return null;
  try {
    const { user } = await logIn(parsed.data);
    return { id: user.id, tenantId: user.tenantId, role: user.role, email: user.email, name: user.name, sessionVersion: user.sessionVersion };
  } catch (error) {
    if (isAppError(error) && error.code === "unauthorized") return null;
    if (isAppError(error) && error.code === "rate_limited") throw new Error(SIGN_IN_RATE_LIMITED);
    throw error;
  }
}

let options: AuthOptions | undefined;

/** Built on first use: the secret is read (or generated into DATA_DIR) only when next-auth actually runs. */
export function authOptions(): AuthOptions {
  if (options) return options;
  shareAppUrlWithNextAuth();
  options = {
    secret: getNextAuthSecret(),
    session: { strategy: "jwt", maxAge: SESSION_MAX_AGE_SECONDS },
    jwt: { encode: encodeWithinSignInDay },
    pages: { signIn: "/sign-in" },
    providers: [
      CredentialsProvider({
        name: "Email and password",
        credentials: { email: { label: "Email", type: "email" }, password: { label: "Password", type: "password" } },
        authorize: (credentials) => authorizeCredentials(credentials),
      }),
    ],
    callbacks: {
      jwt: ({ token, user }) => (user ? signedIn(token, user as unknown as AuthorizedUser) : stillLive(token)),
      session({ session, token }): Session {
        return {
          ...session,
          user: { id: token.userId ?? "", tenantId: token.tenantId ?? "", role: token.role ?? "member", email: token.email ?? "", name: token.name ?? "" },
        };
      },
    },
    events: {
      // Every copy of the signed-out cookie ends with it (a copy taken from this browser included).
      signOut: async ({ token }) => {
        const claims = liveSessionClaims(token);
        if (claims) await endSignedOutSession(claims);
      },
    },
    logger: {
      error(code, metadata) {
        const error = metadata instanceof Error ? metadata : (metadata as { error?: Error; message?: string } | undefined)?.error;
        if (code === "JWT_SESSION_ERROR" && error instanceof SessionEnded) logger.info("dashboard session refused", { reason: error.message });
        else logger.error("next-auth error", { code, error: error ?? metadata });
      },
      warn: (code) => logger.warn("next-auth warning", { code }),
      debug: (code) => logger.debug("next-auth debug", { code }),
    },
  };
  return options;
}

/**
 * next-auth seals every re-issued token to expire SESSION_MAX_AGE_SECONDS after the re-issue; this seals it to
 * expire when its sign-in's 24 h end instead, so even the token's own expiry (checked by every decode) cannot
 * be pushed later by reading the session.
 */
function encodeWithinSignInDay(params: JWTEncodeParams): Promise<string> {
  const authTime = params.token?.authTime;
  if (typeof authTime !== "number") return encode(params);
  const left = authTime + SESSION_MAX_AGE_SECONDS - nowSeconds();
  return encode({ ...params, maxAge: Math.max(0, Math.min(params.maxAge ?? SESSION_MAX_AGE_SECONDS, left)) });
}

/** Sign-in: the token starts its 24 h and records the session version it was signed in at. */
function signedIn(token: JWT, user: AuthorizedUser): JWT {
  return { ...token, userId: user.id, tenantId: user.tenantId, role: user.role, sessionVersion: user.sessionVersion, authTime: nowSeconds() };
}

/**
 * Every later read (GET /api/auth/session re-issues the cookie): a session past its 24 h from sign-in, of an
 * older session version, or of a user gone from the tenant is refused, and next-auth clears its cookie.
 */
async function stillLive(token: JWT): Promise<JWT> {
  const claims = liveSessionClaims(token);
  if (!claims) throw new SessionEnded("past its 24 hours from sign-in, or malformed");
  if (!(await sessionIsCurrent(claims))) throw new SessionEnded("ended: signed out, removed or role changed");
  return token;
}
