import { apiRoute, reply } from "@/server/http/api-route";
import { methods } from "@/server/http/methods";
import { presentAccount } from "@/server/http/presenters/accounts";
import { getAccount } from "@/server/services/accounts/get-account";

export const { GET, HEAD, OPTIONS, POST, PUT, PATCH, DELETE } = methods({
  // GET /api/v1/auth/me — the account (and user, for a JWT) behind the credential
  GET: apiRoute({}, async ({ principal }) => reply(presentAccount(await getAccount(principal)))),
});
