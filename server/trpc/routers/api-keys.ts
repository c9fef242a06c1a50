import { presentApiKey } from "../../http/presenters/api-keys";
import { createApiKey } from "../../services/api-keys/create-api-key";
import { deleteApiKey } from "../../services/api-keys/delete-api-key";
import { listApiKeys } from "../../services/api-keys/list-api-keys";
import { revokeApiKey } from "../../services/api-keys/revoke-api-key";
import { createApiKeyInput } from "../../services/api-keys/schemas";
import { adminProcedure, createTRPCRouter, idInput, listInput, paged, parseId, tenantProcedure } from "../init";

export const apiKeysRouter = createTRPCRouter({
  // Prefixes only.
  list: tenantProcedure.input(listInput()).query(async ({ ctx, input }) => {
    const { items, total } = await listApiKeys(ctx.tenantId, input);
    return paged(
      items.map((k) => presentApiKey(k)),
      total,
      input,
    );
  }),

  // mode live or test; the raw key is in this answer only.
  create: adminProcedure.input(createApiKeyInput).mutation(async ({ ctx, input }) => {
    const { apiKey, rawKey } = await createApiKey(ctx.tenantId, input);
    return presentApiKey(apiKey, rawKey);
  }),

  // The services act on { id, tenantId } and answer NOT_FOUND for another tenant's key.
  revoke: adminProcedure.input(idInput).mutation(async ({ ctx, input }) => presentApiKey(await revokeApiKey(ctx.tenantId, parseId(input.id)))),

  delete: adminProcedure.input(idInput).mutation(async ({ ctx, input }) => {
    await deleteApiKey(ctx.tenantId, parseId(input.id));
    return { deleted: true as const };
  }),
});
