import { httpStatusProviderError } from "../shared/http-status-error";
import { networkProviderError, OUTBOUND_REFUSED, outboundRefusedError } from "../shared/network-errors";
import { safeText } from "../shared/redact";
import { retryAfterMsFromHeaders } from "../shared/retry-after";
import { acceptanceFromWire, type WireObservation } from "../shared/wire-tracker";
import type { ProviderConnectionConfig, ProviderError } from "../types";

const LABEL = "Resend";

export interface ResendErrorResult {
  error: { name?: string; message?: string; statusCode?: number | null };
  headers: Record<string, string> | null;
}

/**
 * The SDK never throws: it returns `{ error }` where error is the API's JSON body as-is. `statusCode:
 * null` means no answer (network failure or our abort, which the SDK cannot tell apart; the wire
 * observation and the abort signal can).
 */
export function classifyResendError(
  { error, headers }: ResendErrorResult,
  connection: ProviderConnectionConfig,
  wire: WireObservation,
  timedOut: boolean,
): ProviderError {
  const status = typeof error.statusCode === "number" ? error.statusCode : wire.responseStatus;
  const name = error.name ?? "error";
  if (status === undefined) {
    if (wire.errorCode === OUTBOUND_REFUSED) return outboundRefusedError(LABEL, wire.errorMessage);
    if (timedOut) return networkProviderError(LABEL, "TimeoutError", acceptanceFromWire(wire));
    return networkProviderError(LABEL, wire.errorCode ?? "ERR_NETWORK", acceptanceFromWire(wire));
  }
  const detail = safeText(`${name}: ${error.message ?? ""}`, connection);
  const retryAfterMs = retryAfterMsFromHeaders(headers ?? wire.responseHeaders);
  // Another request with the same idempotency key is still running: it settles soon.
  if (name === "concurrent_idempotent_requests") return httpStatusProviderError(LABEL, status, detail, { code: name, kind: "transient", retryAfterMs });
  if (name === "daily_quota_exceeded") {
    return httpStatusProviderError(LABEL, status, detail, { code: name, kind: "transient", retryAfterMs: retryAfterMs ?? msUntilUtcMidnight() });
  }
  // Retrying this month cannot succeed; failing over to another provider can.
  if (name === "monthly_quota_exceeded") return httpStatusProviderError(LABEL, status, detail, { code: name, kind: "permanent" });
  return httpStatusProviderError(LABEL, status, detail, { code: name, retryAfterMs });
}

function msUntilUtcMidnight(now: Date = new Date()): number {
  return Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1) - now.getTime();
}
