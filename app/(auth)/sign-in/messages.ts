import { SIGN_IN_RATE_LIMITED } from "@/server/auth/next-auth";

/** What the sign-in form says for an error code it knows no sentence for. */
export const SIGN_IN_FAILED = "Signing in failed. Try again.";

/**
 * What the sign-in form says for each error code next-auth hands back (signIn()'s `error`, or ?error= when
 * next-auth redirected here). Built on the server: the rate-limit code lives with next-auth's options.
 */
export const SIGN_IN_ERRORS: Record<string, string> = {
  CredentialsSignin: "Wrong email or password.",
  [SIGN_IN_RATE_LIMITED]: "Too many failed attempts, try again in a few minutes",
};

export function signInError(code: string | string[] | undefined): string | null {
  const value = Array.isArray(code) ? code[0] : code;
  return value ? (SIGN_IN_ERRORS[value] ?? SIGN_IN_FAILED) : null;
}
