import { z } from "zod";
import { paginationQuery } from "../../lib/pagination";
import { batchIdempotencyKey, listEmailsQuery, MAX_BATCH_EMAILS, sendEmailInput } from "../../services/emails/schemas";
import { responseHeaders } from "../components";
import { pageOf, type OperationEntry } from "../operation";
import { acceptedEmailResponse, batchResponse, emailDetailResponse, emailResponse } from "../responses/emails";

const sendHeaders = z.object({
  "X-CourierX-Simulate-Failure": z
    .string()
    .optional()
    .meta({ description: "Test keys only: comma-separated providers (e.g. `sendgrid,aws_ses`) the sandbox should fail, to watch failover happen. Ignored for live keys." }),
});

// The documented body of a batch: the route checks the envelope, then each item alone with sendEmailInput.
const batchBody = z.strictObject({ emails: z.array(sendEmailInput).min(1).max(MAX_BATCH_EMAILS) });

export const emailOperations: OperationEntry[] = [
  {
    method: "post",
    path: "/emails",
    operationId: "sendEmail",
    tag: "Emails",
    summary: "Send an email",
    description:
      "Stores the email as `queued` and answers 202 at once; delivery runs in the background, through your provider connections in routing order, failing over to the next one on a transient error. " +
      "A suppressed recipient ends `suppressed` without any provider being contacted. " +
      "`html_body` or `text_body` is required.\n\n" +
      "**Idempotency**: send an `Idempotency-Key` header, or put an `idempotency_key` in `metadata` (which wins when both are sent; the header's key is stored there). The same key within 24 hours (per account and mode) answers the email first accepted, with `Idempotent-Replayed: true`, and sends nothing again.\n\n" +
      "A test key (`cxk_test_…`) sends through the whole pipeline to the built-in sandbox instead of a provider.",
    allowTestKeys: true,
    body: {
      schema: sendEmailInput,
      example: {
        from_email: "hello@yourapp.com",
        from_name: "Your App",
        to_email: "user@example.com",
        to_name: "Alice",
        subject: "Welcome to Your App",
        html_body: "<h1>Welcome, Alice!</h1><p>Thanks for signing up.</p>",
        text_body: "Welcome, Alice! Thanks for signing up.",
        tags: ["welcome", "onboarding"],
        metadata: { idempotency_key: "welcome-alice-1234" },
      },
    },
    headers: sendHeaders.extend({
      "Idempotency-Key": batchIdempotencyKey.optional().meta({ description: "Makes a retried send safe: stands for `metadata.idempotency_key` when the body has none.", example: "order-confirmation-1234" }),
    }),
    success: {
      status: 202,
      description: "Accepted and queued (or, with a repeated idempotency key, the email first accepted under it).",
      schema: acceptedEmailResponse,
      headers: { "Idempotent-Replayed": responseHeaders.idempotentReplayed },
    },
  },
  {
    method: "get",
    path: "/emails",
    operationId: "listEmails",
    tag: "Emails",
    summary: "List emails",
    description: "Newest first. Filters: `status`, `recipient` (partial match), `from` / `to` (dates or date-times), `test`. A test key sees test emails only.",
    query: paginationQuery.extend(listEmailsQuery.shape),
    success: pageOf(emailResponse, "emails"),
  },
  {
    method: "get",
    path: "/emails/{id}",
    operationId: "getEmail",
    tag: "Emails",
    summary: "Get an email with its events",
    description: "The email, its bodies, and its whole event timeline in order. A live email is 404 to a test key.",
    success: { status: 200, description: "The email and its events.", schema: emailDetailResponse },
  },
  {
    method: "post",
    path: "/emails/batch",
    operationId: "sendEmailBatch",
    tag: "Emails",
    summary: "Send up to 100 emails",
    description:
      "Each item is validated and accepted exactly as `POST /emails` would; one bad item answers its own 422 in the results and stops nothing. " +
      `1 to ${MAX_BATCH_EMAILS} items, else the whole request is 422. Answers 202 with one result per item, in order, also when every item was refused.\n\n` +
      "**Idempotency** per item: its `metadata.idempotency_key`, or for items without one the request's `Idempotency-Key` header suffixed with the item's index (`<key>:<index>`). " +
      "A batch counts as one request against the rate limit.",
    allowTestKeys: true,
    body: {
      schema: batchBody,
      example: {
        emails: [
          { from_email: "hello@yourapp.com", to_email: "alice@example.com", subject: "Welcome", text_body: "Welcome!" },
          { from_email: "hello@yourapp.com", to_email: "bob@example.com", subject: "Welcome", text_body: "Welcome!", scheduled_at: "2026-12-24T09:00:00+01:00" },
        ],
      },
    },
    headers: sendHeaders.extend({ "Idempotency-Key": batchIdempotencyKey.optional().meta({ description: "Keys each item without its own idempotency key as `<key>:<index>`." }) }),
    success: { status: 202, description: "One result per item, in order.", schema: batchResponse },
  },
  {
    method: "post",
    path: "/emails/{id}/cancel",
    operationId: "cancelEmail",
    tag: "Emails",
    summary: "Cancel an email before it is sent",
    description:
      "Only while the email is `queued` and has never been attempted (typically a scheduled email before its `scheduled_at`): it becomes `canceled` and is never sent. " +
      "A canceled, sent or otherwise final email, or one whose sending has started, answers 409. A test key may cancel its test emails.",
    allowTestKeys: true,
    success: { status: 200, description: "The canceled email.", schema: emailResponse },
    errors: [409],
  },
];
