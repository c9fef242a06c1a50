import { publicRoute, reply } from "@/server/http/api-route";
import { methods } from "@/server/http/methods";
import { presentSession } from "@/server/http/presenters/accounts";
import { registerAccount } from "@/server/services/accounts/register-account";
import { registerInput } from "@/server/services/accounts/schemas";

export const { GET, HEAD, OPTIONS, POST, PUT, PATCH, DELETE } = methods({
  // POST /api/v1/auth/register — create an account (tenant + owner) and return a JWT
  POST: publicRoute({ body: registerInput }, async ({ body }) => reply(presentSession(await registerAccount(body)), { status: 201 })),
});
