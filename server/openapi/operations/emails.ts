import { z } from "zod";
import { paginationQuery } from "../../lib/pagination";
import { listEmailsQuery, sendEmailInput } from "../../services/emails/schemas";
import { responseHeaders } from "../components";
import { pageOf, type OperationEntry } from "../operation";
import { acceptedEmailResponse, emailDetailResponse, emailResponse } from "../responses/emails";

const sendHeaders = z.object({
  "X-CourierX-Simulate-Failure": z
    .string()
    .optional()
    .meta({ description: "Test keys only: comma-separated providers (e.g. `sendgrid,aws_ses`) the sandbox should fail, to watch failover happen. Ignored for live keys." }),
});

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
      "**Idempotency**: put an `idempotency_key` in `metadata`. The same key within 24 hours (per account and mode) answers the email first accepted, with `Idempotent-Replayed: true`, and sends nothing again.\n\n" +
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
    headers: sendHeaders,
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
];
