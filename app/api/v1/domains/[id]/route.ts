import { apiRoute, reply } from "@/server/http/api-route";
import { methods } from "@/server/http/methods";
import { presentDomain } from "@/server/http/presenters/domains";
import { deleteDomain } from "@/server/services/domains/delete-domain";
import { getDomainOrThrow } from "@/server/services/domains/get-domain";

export const { GET, HEAD, OPTIONS, POST, PUT, PATCH, DELETE } = methods({
  // GET /api/v1/domains/:id — one domain with its last verification's findings
  GET: apiRoute({}, async ({ tenantId, params }) => reply(presentDomain(await getDomainOrThrow(tenantId, params.id!)))),

  // DELETE /api/v1/domains/:id — remove a domain
  DELETE: apiRoute({}, async ({ tenantId, params }) => {
    await deleteDomain(tenantId, params.id!);
    return reply(undefined, { status: 204 });
  }),
});
