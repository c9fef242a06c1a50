import { presentEmail, presentEmailDetail } from "../../http/presenters/emails";
import { presentWebhookDelivery } from "../../http/presenters/webhook-endpoints";
import { getEmailOrThrow } from "../../services/emails/get-email";
import { getEmailTimeline } from "../../services/emails/get-email-timeline";
import { listEmails } from "../../services/emails/list-emails";
import { listEmailsQuery } from "../../services/emails/schemas";
import { maskUrlUserinfo } from "../../services/webhooks/webhook-url";
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

  // The dashboard's rest of the timeline: the names of the connections its events name, and the webhook
  // deliveries of its events (oldest first, endpoint URL credentials masked).
  timeline: tenantProcedure.input(idInput).query(async ({ ctx, input }) => {
    const { connections, deliveries } = await getEmailTimeline(ctx.tenantId, parseId(input.id));
    return {
      connections: connections.map((c) => ({ id: c.id, provider: c.provider, display_name: c.displayName })),
      webhook_deliveries: deliveries.map((d) => ({
        ...presentWebhookDelivery(d),
        endpoint: { id: d.endpoint.id, url: maskUrlUserinfo(d.endpoint.url), description: d.endpoint.description },
      })),
    };
  }),
});
