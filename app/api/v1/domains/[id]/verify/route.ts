import { apiRoute, reply } from "@/server/http/api-route";
import { methods } from "@/server/http/methods";
import { presentDomain } from "@/server/http/presenters/domains";
import { verifyDomain } from "@/server/services/domains/verify-domain";

export const { GET, HEAD, OPTIONS, POST, PUT, PATCH, DELETE } = methods({
  // POST /api/v1/domains/:id/verify — look up the TXT record at _courierx.<domain>, and once it is found SPF, DMARC and DKIM
  POST: apiRoute({}, async ({ tenantId, params }) => reply(presentDomain(await verifyDomain(tenantId, params.id!)))),
});
