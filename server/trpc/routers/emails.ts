import { presentEmail, presentEmailDetail } from "../../http/presenters/emails";
import { getEmailOrThrow } from "../../services/emails/get-email";
import { listEmails } from "../../services/emails/list-emails";
import { listEmailsQuery } from "../../services/emails/schemas";
import { createTRPCRouter, idInput, listInput, paged, parseId, tenantProcedure } from "../init";

export const emailsRouter = createTRPCRouter({
  // GET /api/v1/emails — newest first, with the REST filters (status, recipient, from, to, test)
  list: tenantProcedure.input(listInput(listEmailsQuery)).query(async ({ ctx, input }) => {
    const { items, total } = await listEmails(ctx.tenantId, ctx.principal, input, input);
    return paged(items.map(presentEmail), total, input);
  }),

  // GET /api/v1/emails/:id — one email with its timeline
  get: tenantProcedure
    .input(idInput)
    .query(async ({ ctx, input }) => presentEmailDetail(await getEmailOrThrow(ctx.tenantId, ctx.principal, parseId(input.id)))),
});
