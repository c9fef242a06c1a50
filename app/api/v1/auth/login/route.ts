import { publicRoute, reply } from "@/server/http/api-route";
import { presentSession } from "@/server/http/presenters/accounts";
import { logIn } from "@/server/services/accounts/log-in";
import { loginInput } from "@/server/services/accounts/schemas";

// POST /api/v1/auth/login — exchange email and password for a JWT (24 h)
export const POST = publicRoute({ body: loginInput }, async ({ body }) => reply(presentSession(await logIn(body))));
