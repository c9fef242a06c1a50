import { acceptEmails } from "@/server/jobs/accept-email";
import { checkSendTargets } from "@/server/services/emails/check-send-targets";
import { apiRoute, reply } from "@/server/http/api-route";
import { readJsonBody } from "@/server/http/body";
import { methods } from "@/server/http/methods";
import { presentEmail } from "@/server/http/presenters/emails";
import { publicBaseUrl } from "@/server/http/public-base-url";
import { findUnstorableText, textProblemMessage } from "@/server/http/storable-text";
import { formatIssues } from "@/server/http/validation";
import { AppError } from "@/server/lib/errors";
import { isTestKey } from "@/server/services/auth/authenticate-request";
import { SIMULATE_FAILURE_KEY } from "@/server/services/delivery/sandbox";
import { acceptedEmailsWarnings } from "@/server/services/domains/sending-domain-warnings";
import { BATCH_MAX_REQUEST_BYTES, batchIdempotencyKey, sendBatchEnvelope, sendEmailInput, type SendEmailInput } from "@/server/services/emails/schemas";

type ItemCheck = { index: number; input: SendEmailInput } | { index: number; errors: string[] };

/** One item of the batch, validated alone: its problems are its own 422, never the whole request's. */
function checkItem(item: unknown, index: number): ItemCheck {
  const problem = findUnstorableText(item);
  if (problem) return { index, errors: [textProblemMessage(problem)] };
  const result = sendEmailInput.safeParse(item, { reportInput: true });
  return result.success ? { index, input: result.data } : { index, errors: formatIssues(result.error.issues) };
}

export const { GET, HEAD, OPTIONS, POST, PUT, PATCH, DELETE } = methods({
  // POST /api/v1/emails/batch — up to 100 emails, each validated, idempotent and accepted as POST /emails would; 202 with one result per item, in order
  POST: apiRoute({ allowTestKeys: true }, async ({ tenantId, principal, req }) => {
    // Read here rather than by the wrapper: its whole-body checks would refuse the batch for one bad item.
    const envelope = sendBatchEnvelope.safeParse(await readJsonBody(req, BATCH_MAX_REQUEST_BYTES), { reportInput: true });
    if (!envelope.success) throw AppError.validation(formatIssues(envelope.error.issues));
    const header = req.headers.get("idempotency-key");
    const batchKey = header === null ? null : batchIdempotencyKey.safeParse(header);
    if (batchKey && !batchKey.success) throw AppError.validation(formatIssues(batchKey.error.issues).map((m) => `Idempotency-Key header ${m.replace(/^value /, "")}`));
    const simulate = isTestKey(principal) ? req.headers.get("x-courierx-simulate-failure") : null;

    const parsed = envelope.data.emails.map(checkItem);
    // Then routing and SMTP override hosts, per item (one read of the account's connections for all of them).
    const schemaValid = parsed.filter((c) => "input" in c);
    const targets = await checkSendTargets(tenantId, schemaValid.map((c) => c.input));
    const targeted = new Map(schemaValid.map((c, i) => [c.index, targets[i]!]));
    const checks = parsed.map((c) => {
      const target = targeted.get(c.index);
      if (!target) return c as { index: number; errors: string[] };
      return "errors" in target ? { index: c.index, errors: target.errors } : { index: c.index, input: target.send };
    });
    const valid = checks.filter((c) => "input" in c);
    for (const { index, input } of valid) {
      // An item's own metadata.idempotency_key wins; else the request's header keys it by its position.
      if (batchKey?.success && input.metadata.idempotency_key === undefined) input.metadata.idempotency_key = `${batchKey.data}:${index}`;
      if (simulate) input.metadata[SIMULATE_FAILURE_KEY] = simulate;
    }
    const accepted = await acceptEmails(tenantId, principal, valid.map((c) => c.input), { baseUrl: publicBaseUrl(req) });
    // Senders' domains as the insert read them; a replayed item's looked up (best effort, as on POST /emails).
    const warnings = await acceptedEmailsWarnings(tenantId, accepted);
    const results = new Map(valid.map((c, i) => [c.index, { queued: accepted[i]!, warnings: warnings[i]! }]));
    const data = checks.map((check) => {
      if ("errors" in check) return { index: check.index, status: 422, errors: check.errors };
      const { queued, warnings: itemWarnings } = results.get(check.index)!;
      return { index: check.index, status: 202, replayed: queued.replayed, email: { ...presentEmail(queued.email), warnings: itemWarnings } };
    });
    return reply({ data }, { status: 202 });
  }),
});
