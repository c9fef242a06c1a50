import { apiRoute, reply } from "@/server/http/api-route";
import { presentAccount } from "@/server/http/presenters/accounts";
import { getAccount } from "@/server/services/accounts/get-account";

// GET /api/v1/auth/me — the account (and user, for a JWT) behind the credential
export const GET = apiRoute({}, async ({ principal }) => reply(presentAccount(await getAccount(principal))));
