import { presentAccount } from "../../http/presenters/accounts";
import { getAccount } from "../../services/accounts/get-account";
import { accountSettingsInput, updateAccountSettings } from "../../services/accounts/update-account-settings";
import { adminProcedure, createTRPCRouter, tenantProcedure } from "../init";

export const accountRouter = createTRPCRouter({
  // The account and the signed-in user with their current role.
  me: tenantProcedure.query(async ({ ctx }) => presentAccount(await getAccount(ctx.principal))),
  // Owners and admins: the account's sending defaults.
  updateSettings: adminProcedure.input(accountSettingsInput).mutation(async ({ ctx, input }) => {
    await updateAccountSettings(ctx.tenantId, input);
    return presentAccount(await getAccount(ctx.principal));
  }),
});
