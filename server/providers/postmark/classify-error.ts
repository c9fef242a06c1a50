import { httpStatusProviderError } from "../shared/http-status-error";
import { networkProviderError, OUTBOUND_REFUSED, outboundRefusedError } from "../shared/network-errors";
import { numberField, stringField } from "../shared/records";
import { safeText } from "../shared/redact";
import { retryAfterMsFromHeaders } from "../shared/retry-after";
import { unexpectedProviderError } from "../shared/unexpected-error";
import { acceptanceFromWire, type WireObservation } from "../shared/wire-tracker";
import type { ProviderConnectionConfig, ProviderError } from "../types";

const LABEL = "Postmark";

/**
 * PostmarkError subclasses carry `statusCode` (HTTP) and `code` (Postmark ErrorCode). statusCode 0 is a
 * transport failure whose Node code the SDK drops ("fetch failed"), so whether the request reached the
 * wire comes from the wire observation. Headers are not exposed either; Retry-After comes from there too.
 */
export function classifyPostmarkError(error: unknown, connection: ProviderConnectionConfig, wire: WireObservation): ProviderError {
  const statusCode = numberField(error, "statusCode");
  const message = stringField(error, "message") ?? "error";
  if (statusCode === 0) {
    if (wire.errorCode === OUTBOUND_REFUSED) return outboundRefusedError(LABEL, wire.errorMessage);
    const code = wire.errorCode ?? (/timeout/i.test(message) ? "TimeoutError" : "ERR_NETWORK");
    return networkProviderError(LABEL, code, acceptanceFromWire(wire));
  }
  if (statusCode !== undefined) {
    const errorCode = numberField(error, "code");
    const detail = errorCode ? `ErrorCode ${errorCode}: ${message}` : message;
    return httpStatusProviderError(LABEL, statusCode, safeText(detail, connection), {
      ...(errorCode ? { code: String(errorCode) } : {}),
      retryAfterMs: retryAfterMsFromHeaders(wire.responseHeaders),
    });
  }
  return unexpectedProviderError(LABEL, error, connection);
}
