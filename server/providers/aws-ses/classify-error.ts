import { httpStatusProviderError } from "../shared/http-status-error";
import { findNetworkCode, isNetworkCode, networkProviderError, OUTBOUND_REFUSED, outboundRefusedError } from "../shared/network-errors";
import { asRecord, numberField, stringField } from "../shared/records";
import { safeText } from "../shared/redact";
import { retryAfterMsFromHeaders } from "../shared/retry-after";
import { unexpectedProviderError } from "../shared/unexpected-error";
import type { ProviderConnectionConfig, ProviderError } from "../types";

const LABEL = "SES";

/** Error names that mean "try again later" whatever their status. */
const TRANSIENT_NAMES = new Set([
  "TooManyRequestsException",
  "Throttling",
  "ThrottlingException",
  "RequestLimitExceeded",
  "SlowDown",
  "InternalFailure",
  "ServiceUnavailable",
  "RequestTimeout",
]);

/**
 * Service errors are SESv2ServiceException subclasses with the AWS code in `name` and the status in
 * `$metadata.httpStatusCode`; transport failures are plain errors with a Node `code` or
 * `name: "TimeoutError"`. LimitExceededException is a resource limit, permanent although the SDK would
 * retry it.
 */
export function classifySesError(error: unknown, connection: ProviderConnectionConfig): ProviderError {
  const name = stringField(error, "name");
  const message = stringField(error, "message") ?? "";
  const status = numberField(asRecord(error)?.$metadata, "httpStatusCode");
  if (status !== undefined && stringField(error, "$fault") !== undefined) {
    const transient = TRANSIENT_NAMES.has(name ?? "") || stringField(error, "$fault") === "server" || status === 429 || status >= 500;
    const headers = asRecord(asRecord(asRecord(error)?.$response)?.headers);
    return httpStatusProviderError(LABEL, status, safeText(`${name ?? "Error"}: ${message}`, connection), {
      ...(name ? { code: name } : {}),
      kind: transient ? "transient" : "permanent",
      retryAfterMs: retryAfterMsFromHeaders(headers),
    });
  }
  // smithy renames socket errors such as ECONNRESET to name "TimeoutError" but keeps the Node code.
  const code = stringField(error, "code");
  if (code === OUTBOUND_REFUSED) return outboundRefusedError(LABEL, message);
  if (isNetworkCode(code) && code !== "ETIMEDOUT") return networkProviderError(LABEL, code);
  if (name === "TimeoutError" || code === "ETIMEDOUT") {
    // The handler says so when the socket never connected; then nothing was sent.
    const notConnected = /without establishing a connection/i.test(message);
    return networkProviderError(LABEL, "TimeoutError", notConnected ? "no" : "unknown");
  }
  const codeInMessage = findNetworkCode(message);
  if (codeInMessage) return networkProviderError(LABEL, codeInMessage);
  return unexpectedProviderError(LABEL, error, connection);
}
