import { httpStatusProviderError } from "../shared/http-status-error";
import { findNetworkCode, isNetworkCode, networkProviderError, OUTBOUND_REFUSED, outboundRefusedError } from "../shared/network-errors";
import { asRecord } from "../shared/records";
import { safeText } from "../shared/redact";
import { retryAfterMsFromHeaders } from "../shared/retry-after";
import { unexpectedProviderError } from "../shared/unexpected-error";
import type { ProviderConnectionConfig, ProviderError } from "../types";

const LABEL = "SendGrid";

/**
 * HTTP errors arrive as ResponseError (`code` = HTTP status number, `message` = reason phrase, body in
 * `response.body.errors[]`); transport failures as the raw AxiosError with a string `code`.
 */
export function classifySendgridError(error: unknown, connection: ProviderConnectionConfig): ProviderError {
  const record = asRecord(error);
  const response = asRecord(record?.response);
  if (record && typeof record.code === "number" && response) {
    const status = record.code;
    const detail = firstErrorMessage(response.body) ?? (typeof record.message === "string" ? record.message : "error");
    return httpStatusProviderError(LABEL, status, safeText(detail, connection), {
      retryAfterMs: retryAfterMsFromHeaders(asRecord(response.headers)),
    });
  }
  // Redirects are not followed (maxRedirects 0), so a 3xx arrives as an error: an answer, not a new destination.
  const redirectStatus = typeof response?.status === "number" && response.status >= 300 && response.status < 400 ? response.status : undefined;
  if (redirectStatus !== undefined) return httpStatusProviderError(LABEL, redirectStatus, "redirect not followed (the endpoint must answer itself)");
  const code = typeof record?.code === "string" ? record.code : undefined;
  if (code === OUTBOUND_REFUSED) return outboundRefusedError(LABEL, typeof record?.message === "string" ? record.message : undefined);
  if (isNetworkCode(code)) return networkProviderError(LABEL, code);
  const codeInMessage = error instanceof Error ? findNetworkCode(error.message) : undefined;
  if (codeInMessage) return networkProviderError(LABEL, codeInMessage);
  return unexpectedProviderError(LABEL, error, connection);
}

function firstErrorMessage(body: unknown): string | undefined {
  const errors = asRecord(body)?.errors;
  if (!Array.isArray(errors)) return undefined;
  const first = asRecord(errors[0]);
  if (typeof first?.message !== "string") return undefined;
  return typeof first.field === "string" ? `${first.message} (${first.field})` : first.message;
}
