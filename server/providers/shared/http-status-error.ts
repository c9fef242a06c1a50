import { ProviderError } from "../types";

/** Transient for 408/429/5xx, permanent for the other 4xx, as every provider documents. */
export function isTransientStatus(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}

/** An HTTP answer was received, so the provider certainly did not accept the message. */
export function httpStatusProviderError(
  providerLabel: string,
  status: number,
  detail: string,
  extra: { code?: string; retryAfterMs?: number; kind?: "transient" | "permanent" } = {},
): ProviderError {
  const kind = extra.kind ?? (isTransientStatus(status) ? "transient" : "permanent");
  return new ProviderError({
    kind,
    reason: `${providerLabel} ${status}: ${detail}`,
    status,
    accepted: "no",
    ...(extra.code !== undefined ? { code: extra.code } : {}),
    ...(kind === "transient" && extra.retryAfterMs !== undefined ? { retryAfterMs: extra.retryAfterMs } : {}),
  });
}
