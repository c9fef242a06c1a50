import { presentDomain } from "../../http/presenters/domains";
import { createDomain } from "../../services/domains/create-domain";
import { deleteDomain } from "../../services/domains/delete-domain";
import { getDomainOrThrow } from "../../services/domains/get-domain";
import { listDomains } from "../../services/domains/list-domains";
import { createDomainInput } from "../../services/domains/schemas";
import { verifyDomain } from "../../services/domains/verify-domain";
import { adminProcedure, createTRPCRouter, listInput, paged, resourceProcedures, tenantProcedure } from "../init";

const domain = resourceProcedures("domain", getDomainOrThrow);

export const domainsRouter = createTRPCRouter({
  list: tenantProcedure.input(listInput()).query(async ({ ctx, input }) => {
    const { items, total } = await listDomains(ctx.tenantId, input);
    return paged(items.map(presentDomain), total, input);
  }),

  get: domain.read.query(({ ctx }) => presentDomain(ctx.domain)),

  create: adminProcedure.input(createDomainInput).mutation(async ({ ctx, input }) => presentDomain(await createDomain(ctx.tenantId, input))),

  // The TXT record at _courierx.<domain>, and once it is found SPF, DMARC and DKIM.
  verify: domain.admin.mutation(async ({ ctx }) => presentDomain(await verifyDomain(ctx.tenantId, ctx.domain.id))),

  delete: domain.admin.mutation(async ({ ctx }) => {
    await deleteDomain(ctx.tenantId, ctx.domain.id);
    return { deleted: true as const };
  }),
});
