import { publicRoute, reply } from "@/server/http/api-route";
import { presentSession } from "@/server/http/presenters/accounts";
import { registerAccount } from "@/server/services/accounts/register-account";
import { registerInput } from "@/server/services/accounts/schemas";

// POST /api/v1/auth/register — create an account (tenant + owner) and return a JWT
export const POST = publicRoute({ body: registerInput }, async ({ body }) => reply(presentSession(await registerAccount(body)), { status: 201 }));
