import { apiRoute, reply } from "@/server/http/api-route";
import { methods } from "@/server/http/methods";
import { presentDomain } from "@/server/http/presenters/domains";
import { paginationHeaders, paginationQuery } from "@/server/lib/pagination";
import { createDomain } from "@/server/services/domains/create-domain";
import { listDomains } from "@/server/services/domains/list-domains";
import { createDomainInput } from "@/server/services/domains/schemas";

export const { GET, HEAD, OPTIONS, POST, PUT, PATCH, DELETE } = methods({
  // POST /api/v1/domains — register a sending domain (pending until its TXT record is verified)
  POST: apiRoute({ body: createDomainInput }, async ({ tenantId, body }) => reply(presentDomain(await createDomain(tenantId, body)), { status: 201 })),

  // GET /api/v1/domains — list domains with their verification status, newest first
  GET: apiRoute({ query: paginationQuery }, async ({ tenantId, query }) => {
    const { items, total } = await listDomains(tenantId, query);
    return reply(items.map(presentDomain), { headers: paginationHeaders(query, total) });
  }),
});
