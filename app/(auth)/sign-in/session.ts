/** Server helpers of the sign-in and sign-up pages. */
import { redirect } from "next/navigation";
import { getCaller } from "@/trpc/server";

/**
 * The path to go to after signing in: a same-origin relative path only ("/emails?status=failed"), never
 * another origin ("//evil.example", "/\\evil.example", "https://…"); null for anything else.
 */
export function safeCallbackUrl(value: string | string[] | undefined): string | null {
  const raw = Array.isArray(value) ? value[0] : value;
  // Browsers read "\" as "/" and drop tabs and newlines, so "/\evil" and "/\t/evil" would leave the origin.
  if (!raw || raw.length > 2048 || !raw.startsWith("/") || /[\\\u0000-\u001f\u007f]/.test(raw)) return null;
  const base = "http://courierx.invalid";
  try {
    const url = new URL(raw, base);
    if (url.origin !== base) return null;
    return `${url.pathname}${url.search}${url.hash}`;
  } catch {
    return null;
  }
}

/**
 * A signed-in visitor has nothing to do here: on to where they were going. The session is proved against
 * the database (as the dashboard layout does), so a cookie of a removed user shows the form instead of
 * bouncing between the two.
 */
export async function redirectIfSignedIn(to: string | null): Promise<void> {
  let signedIn = false;
  try {
    await (await getCaller()).account.me();
    signedIn = true;
  } catch {
    signedIn = false;
  }
  if (signedIn) redirect(to ?? "/overview");
}
