import { apiRoute, reply } from "@/server/http/api-route";
import { methods } from "@/server/http/methods";
import { presentEmail } from "@/server/http/presenters/emails";
import { cancelEmail } from "@/server/services/emails/cancel-email";

export const { GET, HEAD, OPTIONS, POST, PUT, PATCH, DELETE } = methods({
  // POST /api/v1/emails/:id/cancel — cancel an email that has not started sending (a scheduled one, typically); 409 once it has, or when already canceled. Test keys cancel their test emails
  POST: apiRoute({ allowTestKeys: true }, async ({ tenantId, principal, params }) => reply(presentEmail(await cancelEmail(tenantId, principal, params.id!)))),
});
