import { httpStatusProviderError } from "../shared/http-status-error";
import { findNetworkCode, isNetworkCode, networkProviderError, OUTBOUND_REFUSED, outboundRefusedError } from "../shared/network-errors";
import { numberField, stringField } from "../shared/records";
import { safeText } from "../shared/redact";
import { retryAfterMsFromHeaders } from "../shared/retry-after";
import { unexpectedProviderError } from "../shared/unexpected-error";
import type { WireObservation } from "../shared/wire-tracker";
import type { ProviderConnectionConfig, ProviderError } from "../types";

const LABEL = "Mailgun";

/**
 * mailgun.js throws APIError {status, message, details, type: "MailgunAPIError"} for everything, and
 * reports transport failures as status 400 with the network code as `message`. So the network check
 * comes first, or a refused connection would look like a permanent bad request. The SDK drops response
 * headers; Retry-After comes from the wire observation instead.
 */
export function classifyMailgunError(error: unknown, connection: ProviderConnectionConfig, wire: WireObservation): ProviderError {
  const message = stringField(error, "message");
  const details = stringField(error, "details");
  if (message === OUTBOUND_REFUSED || stringField(error, "code") === OUTBOUND_REFUSED) return outboundRefusedError(LABEL, details);
  const networkCode = isNetworkCode(message) ? message : (findNetworkCode(message) ?? findNetworkCode(stringField(error, "code")));
  if (networkCode) return networkProviderError(LABEL, networkCode);

  const status = numberField(error, "status");
  if (status !== undefined && stringField(error, "type") === "MailgunAPIError") {
    const detail = status === 401 ? "Forbidden (wrong API key, or an EU domain used with the US region)" : details || message || "error";
    return httpStatusProviderError(LABEL, status, safeText(detail, connection), {
      retryAfterMs: retryAfterMsFromHeaders(wire.responseHeaders),
    });
  }
  const detailCode = findNetworkCode(details);
  if (detailCode) return networkProviderError(LABEL, detailCode);
  return unexpectedProviderError(LABEL, error, connection);
}
