/**
 * Dashboard sign-in (next-auth 4): email + password over the same users, scrypt hashes and per-account
 * failed-login limit as POST /api/v1/auth/login — `authorize` calls the same logIn service. Sessions are
 * JWTs in an encrypted cookie carrying the user, tenant and role; tRPC re-checks them against the database
 * on every call (server/trpc/init.ts), so a removed user or a changed role takes effect at once.
 */
import type { AuthOptions, Session } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { getNextAuthSecret, shareAppUrlWithNextAuth } from "../env";
import { isAppError } from "../lib/errors";
import { logIn } from "../services/accounts/log-in";
import { loginInput } from "../services/accounts/schemas";

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

declare module "next-auth/jwt" {
  interface JWT {
    userId?: string;
    tenantId?: string;
    role?: UserRole;
  }
}

/** The error code next-auth hands to the sign-in page (?error=…) when the account's failed-login limit is reached. */
export const SIGN_IN_RATE_LIMITED = "RateLimited";

/** Same session length as the REST JWTs. */
const SESSION_MAX_AGE_SECONDS = 24 * 60 * 60;

/**
 * null for a wrong email or password (next-auth's "CredentialsSignin"); throws SIGN_IN_RATE_LIMITED once the
 * account's failed-login limit is reached, even for the right password.
 */
export async function authorizeCredentials(credentials: Record<string, unknown> | undefined): Promise<SessionUser | null> {
  // next-auth passes the whole form (csrfToken, callbackUrl…): only the two fields go to the strict schema.
  const parsed = loginInput.safeParse({ email: credentials?.email, password: credentials?.password });
  if (!parsed.success) return null;
  try {
    const { user } = await logIn(parsed.data);
    return { id: user.id, tenantId: user.tenantId, role: user.role, email: user.email, name: user.name };
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
    pages: { signIn: "/sign-in" },
    providers: [
      CredentialsProvider({
        name: "Email and password",
        credentials: { email: { label: "Email", type: "email" }, password: { label: "Password", type: "password" } },
        authorize: (credentials) => authorizeCredentials(credentials),
      }),
    ],
    callbacks: {
      jwt({ token, user }) {
        if (user) {
          const u = user as unknown as SessionUser;
          token.userId = u.id;
          token.tenantId = u.tenantId;
          token.role = u.role;
        }
        return token;
      },
      session({ session, token }): Session {
        return {
          ...session,
          user: { id: token.userId ?? "", tenantId: token.tenantId ?? "", role: token.role ?? "member", email: token.email ?? "", name: token.name ?? "" },
        };
      },
    },
  };
  return options;
}
