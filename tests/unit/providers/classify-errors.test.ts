import { LimitExceededException, SESv2ServiceException, TooManyRequestsException } from "@aws-sdk/client-sesv2";
import { Errors as PostmarkErrors } from "postmark";
import { describe, expect, it } from "vitest";
import { classifySesError } from "@/server/providers/aws-ses/classify-error";
import { classifyPostmarkError } from "@/server/providers/postmark/classify-error";
import { classifyResendError } from "@/server/providers/resend/classify-error";
import { unexpectedProviderError } from "@/server/providers/shared/unexpected-error";
import { newWireObservation } from "@/server/providers/shared/wire-tracker";
import { classifySmtpError } from "@/server/providers/smtp/classify-error";
import type { ProviderConnectionConfig } from "@/server/providers/types";

const connection: ProviderConnectionConfig = { id: "c1", provider: "aws_ses", credentials: { apiKey: "AKIDSECRETKEYID", secret: "super-secret-value" }, settings: {} };

describe("SES classification beyond what the emulator triggers", () => {
  it("LimitExceededException is a resource limit: permanent, although the SDK would retry it", () => {
    const error = new LimitExceededException({ message: "Too many configuration sets", $metadata: { httpStatusCode: 400 } });
    expect(classifySesError(error, connection)).toMatchObject({ kind: "permanent", code: "LimitExceededException", status: 400, accepted: "no" });
  });

  it("throttling names are transient whatever the status", () => {
    const throttled = new SESv2ServiceException({ name: "ThrottlingException", $fault: "client", message: "Rate exceeded", $metadata: { httpStatusCode: 400 } });
    expect(classifySesError(throttled, connection)).toMatchObject({ kind: "transient", code: "ThrottlingException" });
    const tooMany = new TooManyRequestsException({ message: "Maximum sending rate exceeded.", $metadata: { httpStatusCode: 429 } });
    expect(classifySesError(tooMany, connection).kind).toBe("transient");
  });

  it("a timeout before the socket connected means nothing was sent", () => {
    const error = Object.assign(new Error("Socket timed out without establishing a connection within 300 ms"), { name: "TimeoutError" });
    expect(classifySesError(error, connection)).toMatchObject({ kind: "transient", accepted: "no" });
  });
});

describe("Postmark classification", () => {
  it("an inactive recipient (ErrorCode 406) is permanent and keeps the Postmark code", () => {
    const error = new PostmarkErrors.InactiveRecipientsError("You tried to send to recipient(s) that have been marked as inactive.", 406, 422);
    expect(classifyPostmarkError(error, connection, newWireObservation())).toMatchObject({ kind: "permanent", code: "406", status: 422, accepted: "no" });
  });

  it("a network failure the wire tracker did not see is assumed maybe-sent", () => {
    const error = new PostmarkErrors.PostmarkError("fetch failed");
    expect(classifyPostmarkError(error, connection, newWireObservation())).toMatchObject({ kind: "transient", accepted: "unknown" });
  });
});

describe("Resend classification", () => {
  const wire = newWireObservation();

  it("a daily quota waits until the next UTC day, a monthly quota fails over", () => {
    const daily = classifyResendError({ error: { statusCode: 429, name: "daily_quota_exceeded", message: "quota" }, headers: {} }, connection, wire, false);
    expect(daily.kind).toBe("transient");
    expect(daily.retryAfterMs).toBeGreaterThan(0);
    expect(daily.retryAfterMs).toBeLessThanOrEqual(86_400_000);
    const monthly = classifyResendError({ error: { statusCode: 429, name: "monthly_quota_exceeded", message: "quota" }, headers: {} }, connection, wire, false);
    expect(monthly.kind).toBe("permanent");
  });

  it("a concurrent request with the same idempotency key is transient, a conflicting payload is not", () => {
    const concurrent = classifyResendError({ error: { statusCode: 409, name: "concurrent_idempotent_requests", message: "busy" }, headers: null }, connection, wire, false);
    expect(concurrent.kind).toBe("transient");
    const conflicting = classifyResendError({ error: { statusCode: 409, name: "invalid_idempotent_request", message: "different payload" }, headers: null }, connection, wire, false);
    expect(conflicting.kind).toBe("permanent");
  });

  it("our own abort is a maybe-sent timeout", () => {
    const aborted = classifyResendError({ error: { statusCode: null, name: "application_error", message: "Unable to fetch data." }, headers: null }, connection, wire, true);
    expect(aborted).toMatchObject({ kind: "transient", code: "TimeoutError", accepted: "unknown" });
  });
});

describe("SMTP classification", () => {
  it("local envelope and TLS problems are permanent", () => {
    const noRecipients = Object.assign(new Error("No recipients defined"), { code: "EENVELOPE", command: "API" });
    expect(classifySmtpError(noRecipients, connection, "send")).toMatchObject({ kind: "permanent", accepted: "no" });
    const tls = Object.assign(new Error("self-signed certificate"), { code: "ETLS", command: "CONN" });
    expect(classifySmtpError(tls, connection, "verify")).toMatchObject({ kind: "permanent", accepted: "no" });
  });

  it("a 421 greeting is transient and nothing was sent", () => {
    const greeting = Object.assign(new Error("Invalid greeting. response=421 4.3.2 busy"), { code: "EPROTOCOL", responseCode: 421, command: "CONN" });
    expect(classifySmtpError(greeting, connection, "send")).toMatchObject({ kind: "transient", accepted: "no", status: 421 });
  });

  it("a connection lost mid-send is maybe-sent, one lost while connecting is not", () => {
    const closed = Object.assign(new Error("Connection closed unexpectedly"), { code: "ECONNECTION", command: "CONN" });
    expect(classifySmtpError(closed, connection, "send").accepted).toBe("unknown");
    const greetingTimeout = Object.assign(new Error("Greeting never received"), { code: "ETIMEDOUT", command: "CONN" });
    expect(classifySmtpError(greetingTimeout, connection, "send").accepted).toBe("no");
  });
});

describe("unexpected errors", () => {
  it("are transient, maybe-sent, and never echo the connection's secrets", () => {
    const error = unexpectedProviderError("SES", new Error("boom with super-secret-value inside"), connection);
    expect(error).toMatchObject({ kind: "transient", accepted: "unknown" });
    expect(error.reason).toBe("SES: unexpected error (Error: boom with [redacted] inside)");
  });
});
