import { acceptEmail } from "@/server/jobs/accept-email";
import { apiRoute, reply } from "@/server/http/api-route";
import { methods } from "@/server/http/methods";
import { presentEmail } from "@/server/http/presenters/emails";
import { publicBaseUrl } from "@/server/http/public-base-url";
import { paginationHeaders, paginationQuery } from "@/server/lib/pagination";
import { isTestKey } from "@/server/services/auth/authenticate-request";
import { SIMULATE_FAILURE_KEY } from "@/server/services/delivery/sandbox";
import { acceptedEmailWarnings } from "@/server/services/domains/sending-domain-warnings";
import { listEmails } from "@/server/services/emails/list-emails";
import { batchIdempotencyKey, listEmailsQuery, SEND_MAX_REQUEST_BYTES, sendEmailInput } from "@/server/services/emails/schemas";
import { formatIssues } from "@/server/http/validation";
import { AppError } from "@/server/lib/errors";

function idempotencyKeyHeader(value: string): string {
  const key = batchIdempotencyKey.safeParse(value);
  if (!key.success) throw AppError.validation(formatIssues(key.error.issues).map((m) => `Idempotency-Key header ${m.replace(/^value /, "")}`));
  return key.data;
}

export const { GET, HEAD, OPTIONS, POST, PUT, PATCH, DELETE } = methods({
  // POST /api/v1/emails — queue an email for durable delivery with failover (202 Accepted); test keys send to the sandbox
  // A key this process has seen is authenticated and counted inside the insert: one statement per send.
  POST: apiRoute({ body: sendEmailInput, maxBodyBytes: SEND_MAX_REQUEST_BYTES, allowTestKeys: true, deferAuth: true }, async ({ tenantId, principal, body, req, auth }) => {
    // Test keys may ask the sandbox to fail named providers, to watch failover happen.
    const simulate = req.headers.get("x-courierx-simulate-failure");
    if (simulate && isTestKey(principal)) body.metadata[SIMULATE_FAILURE_KEY] = simulate;
    // An Idempotency-Key header stands for metadata.idempotency_key, which wins when both are sent.
    const idempotencyHeader = req.headers.get("idempotency-key");
    if (idempotencyHeader !== null && body.metadata.idempotency_key === undefined) body.metadata.idempotency_key = idempotencyKeyHeader(idempotencyHeader);
    // The sender's domain is read by the insert itself (no round trip of its own); a replay looks it up.
    const accepted = await acceptEmail(tenantId, principal, body, { baseUrl: publicBaseUrl(req), auth });
    const warnings = await acceptedEmailWarnings(tenantId, accepted);
    return reply({ ...presentEmail(accepted.email), warnings }, { status: 202, headers: accepted.replayed ? { "Idempotent-Replayed": "true" } : {} });
  }),

  // GET /api/v1/emails — list emails, newest first (filters: status, recipient, from, to, test; a test key sees test emails only)
  GET: apiRoute({ query: paginationQuery.extend(listEmailsQuery.shape) }, async ({ tenantId, principal, query }) => {
    const { items, total } = await listEmails(tenantId, principal, query, query);
    return reply(items.map(presentEmail), { headers: paginationHeaders(query, total) });
  }),
});
