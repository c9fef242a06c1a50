import { publicRoute, reply } from "@/server/http/api-route";
import { methods } from "@/server/http/methods";
import { presentSession } from "@/server/http/presenters/accounts";
import { logIn } from "@/server/services/accounts/log-in";
import { loginInput } from "@/server/services/accounts/schemas";

export const { GET, HEAD, OPTIONS, POST, PUT, PATCH, DELETE } = methods({
  // POST /api/v1/auth/login — exchange email and password for a JWT (24 h); failures are limited per account
  POST: publicRoute({ body: loginInput }, async ({ body }) => reply(presentSession(await logIn(body)))),
});
