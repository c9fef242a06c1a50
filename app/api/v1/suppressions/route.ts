import { apiRoute, reply } from "@/server/http/api-route";
import { methods } from "@/server/http/methods";
import { presentSuppression } from "@/server/http/presenters/suppressions";
import { paginationHeaders, paginationQuery } from "@/server/lib/pagination";
import { createSuppression } from "@/server/services/suppressions/create-suppression";
import { listSuppressions } from "@/server/services/suppressions/list-suppressions";
import { createSuppressionInput, listSuppressionsQuery } from "@/server/services/suppressions/schemas";

export const { GET, HEAD, OPTIONS, POST, PUT, PATCH, DELETE } = methods({
  // POST /api/v1/suppressions — block an address (201 when new, 200 when it was already suppressed)
  POST: apiRoute({ body: createSuppressionInput }, async ({ tenantId, body }) => {
    const { suppression, created } = await createSuppression(tenantId, body);
    return reply(presentSuppression(suppression), { status: created ? 201 : 200 });
  }),

  // GET /api/v1/suppressions — list, filter by reason
  GET: apiRoute({ query: paginationQuery.extend(listSuppressionsQuery.shape) }, async ({ tenantId, query }) => {
    const { items, total } = await listSuppressions(tenantId, query, query);
    return reply(items.map(presentSuppression), { headers: paginationHeaders(query, total) });
  }),
});
