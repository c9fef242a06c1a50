/**
 * The dashboard's sign-up: a public procedure creating the tenant and its owner through the same
 * registerAccount service as POST /api/v1/auth/register, under the same per-address limit (30 a minute,
 * counted before the input is read, as REST counts a 422 too). The browser signs in with next-auth next.
 */
import { headers } from "next/headers";
import { z } from "zod";
import { TRPCError } from "@trpc/server";
import { anonymousLimitExceeded } from "../../http/api-route";
import { AppError, isAppError } from "../../lib/errors";
import { registerAccount } from "../../services/accounts/register-account";
import { registerInput } from "../../services/accounts/schemas";
import { createTRPCRouter, publicProcedure } from "../init";

const SIGN_UP_FIELDS = ["name", "email", "password", "password_confirmation"] as const;

/**
 * The request's headers as a Request for the per-address limit (it reads the socket peer stamped into them,
 * or X-Forwarded-For as TRUST_PROXY allows). Outside an HTTP request (a createCaller test) there are none:
 * every such call shares the "unknown client" bucket.
 */
async function requestHeaders(): Promise<Request> {
  let incoming: Headers;
  try {
    incoming = new Headers(await headers());
  } catch {
    incoming = new Headers();
  }
  return new Request("http://dashboard.invalid/api/trpc/auth.signUp", { method: "POST", headers: incoming });
}

const perAddressLimit = publicProcedure.use(async ({ next }) => {
  const limited = await anonymousLimitExceeded(await requestHeaders());
  if (limited) {
    throw new AppError("rate_limited", "Too many sign-ups from this address. Try again in a minute.", { headers: { "Retry-After": String(limited.retryAfter) } });
  }
  return next();
});

/**
 * The service's validation sentences that name a field ("email has already been taken") as field issues, so
 * the form shows them next to that input (error.data.fieldErrors), like the schema's own issues. The ZodError
 * comes from a parse (one built with `new` is no Error, and tRPC would replace it as an unknown cause).
 */
function asFieldIssues(error: AppError): TRPCError | null {
  const issues: { field: string; message: string }[] = [];
  for (const detail of error.details) {
    const field = SIGN_UP_FIELDS.find((name) => detail.startsWith(`${name} `));
    if (!field) return null;
    issues.push({ field, message: detail.slice(field.length + 1) });
  }
  const parsed = z
    .object({})
    .superRefine((_value, ctx) => issues.forEach(({ field, message }) => ctx.addIssue({ code: "custom", path: [field], message })))
    .safeParse({});
  return new TRPCError({ code: "BAD_REQUEST", message: error.message, cause: parsed.error });
}

export const authRouter = createTRPCRouter({
  signUp: perAddressLimit.input(registerInput).mutation(async ({ input }) => {
    try {
      const { user, tenant } = await registerAccount(input);
      return { user: { id: user.id, name: user.name, email: user.email, role: user.role }, account: { id: tenant.id, name: tenant.name } };
    } catch (error) {
      const fieldError = isAppError(error) && error.code === "validation" ? asFieldIssues(error) : null;
      throw fieldError ?? error;
    }
  }),
});
