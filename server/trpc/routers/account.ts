import { presentAccount } from "../../http/presenters/accounts";
import { getAccount } from "../../services/accounts/get-account";
import { createTRPCRouter, tenantProcedure } from "../init";

export const accountRouter = createTRPCRouter({
  // The account and the signed-in user with their current role.
  me: tenantProcedure.query(async ({ ctx }) => presentAccount(await getAccount(ctx.principal))),
});
