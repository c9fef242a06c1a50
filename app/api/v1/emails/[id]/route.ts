import { apiRoute, reply } from "@/server/http/api-route";
import { methods } from "@/server/http/methods";
import { presentEmailDetail } from "@/server/http/presenters/emails";
import { getEmailOrThrow } from "@/server/services/emails/get-email";

export const { GET, HEAD, OPTIONS, POST, PUT, PATCH, DELETE } = methods({
  // GET /api/v1/emails/:id — one email with its event timeline (a live email is 404 to a test key)
  GET: apiRoute({}, async ({ tenantId, principal, params }) => reply(presentEmailDetail(await getEmailOrThrow(tenantId, principal, params.id!)))),
});
