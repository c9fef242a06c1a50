import { z } from "zod";
import { presentRoutingRule } from "../../http/presenters/routing-rules";
import { createRoutingRule, deleteRoutingRule, getRoutingRuleOrThrow, listRoutingRules, updateRoutingRule } from "../../services/routing/routing-rules";
import { createRoutingRuleInput, updateRoutingRuleInput } from "../../services/routing/schemas";
import { adminProcedure, createTRPCRouter, listInput, paged, resourceProcedures, tenantProcedure } from "../init";

const rule = resourceProcedures("rule", getRoutingRuleOrThrow);

export const routingRulesRouter = createTRPCRouter({
  // In evaluation order.
  list: tenantProcedure.input(listInput()).query(async ({ ctx, input }) => {
    const { items, total } = await listRoutingRules(ctx.tenantId, input);
    return paged(items.map(presentRoutingRule), total, input);
  }),

  get: rule.read.query(({ ctx }) => presentRoutingRule(ctx.rule)),

  create: adminProcedure.input(createRoutingRuleInput).mutation(async ({ ctx, input }) => presentRoutingRule(await createRoutingRule(ctx.tenantId, input))),

  update: rule.admin
    .input(z.object({ data: updateRoutingRuleInput }))
    .mutation(async ({ ctx, input }) => presentRoutingRule(await updateRoutingRule(ctx.tenantId, ctx.rule.id, input.data))),

  delete: rule.admin.mutation(async ({ ctx }) => {
    await deleteRoutingRule(ctx.tenantId, ctx.rule.id);
    return { deleted: true as const };
  }),
});
