import { presentSuppression } from "../../http/presenters/suppressions";
import { createSuppression } from "../../services/suppressions/create-suppression";
import { deleteSuppression } from "../../services/suppressions/delete-suppression";
import { listSuppressions } from "../../services/suppressions/list-suppressions";
import { createSuppressionInput, listSuppressionsQuery } from "../../services/suppressions/schemas";
import { adminProcedure, createTRPCRouter, idInput, listInput, paged, parseId, tenantProcedure } from "../init";

export const suppressionsRouter = createTRPCRouter({
  list: tenantProcedure.input(listInput(listSuppressionsQuery)).query(async ({ ctx, input }) => {
    const { items, total } = await listSuppressions(ctx.tenantId, input, input);
    return paged(items.map(presentSuppression), total, input);
  }),

  // created: false when the address was already suppressed (REST's 200 instead of 201).
  create: adminProcedure.input(createSuppressionInput).mutation(async ({ ctx, input }) => {
    const { suppression, created } = await createSuppression(ctx.tenantId, input);
    return { ...presentSuppression(suppression), created };
  }),

  // The service deletes by { id, tenantId } and answers NOT_FOUND for another tenant's row.
  delete: adminProcedure.input(idInput).mutation(async ({ ctx, input }) => {
    await deleteSuppression(ctx.tenantId, parseId(input.id));
    return { deleted: true as const };
  }),
});
