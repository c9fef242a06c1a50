import { ProviderError, type ProviderAcceptance } from "../types";

/** Failures that happen before a single request byte can reach the provider. */
const NOT_SENT_CODES = new Set([
  "ECONNREFUSED",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "EADDRNOTAVAIL",
  "UND_ERR_CONNECT_TIMEOUT",
]);

/** Failures after the request may have been written: the provider may have taken the message. */
const MAYBE_SENT_CODES = new Set([
  "ECONNRESET",
  "ECONNABORTED",
  "ETIMEDOUT",
  "ESOCKETTIMEDOUT",
  "EPIPE",
  "ERR_NETWORK",
  "ERR_BAD_RESPONSE",
  "ERR_CANCELED",
  "UND_ERR_SOCKET",
  "UND_ERR_CLOSED",
  "UND_ERR_HEADERS_TIMEOUT",
  "UND_ERR_BODY_TIMEOUT",
  "UND_ERR_ABORTED",
  "TimeoutError",
  "AbortError",
  "RequestTimeout",
]);

export function isNetworkCode(code: string | undefined): code is string {
  return code !== undefined && (NOT_SENT_CODES.has(code) || MAYBE_SENT_CODES.has(code));
}

export function acceptanceForNetworkCode(code: string): ProviderAcceptance {
  return NOT_SENT_CODES.has(code) ? "no" : "unknown";
}

/** Finds a known network code inside free text such as "connect ECONNREFUSED 127.0.0.1:1". */
export function findNetworkCode(text: string | undefined): string | undefined {
  if (!text) return undefined;
  for (const token of text.split(/[^A-Za-z_]+/)) {
    if (isNetworkCode(token)) return token;
  }
  return undefined;
}

export function networkProviderError(
  providerLabel: string,
  code: string,
  accepted: ProviderAcceptance = acceptanceForNetworkCode(code),
): ProviderError {
  const what = accepted === "unknown" ? "no answer" : "could not connect";
  return new ProviderError({ kind: "transient", reason: `${providerLabel}: ${what} (${code})`, code, accepted });
}

/** The code the outbound guard gives a refused destination (server/lib/outbound-guard.ts). */
export const OUTBOUND_REFUSED = "EOUTBOUND";

/**
 * The outbound guard refused the address (private, loopback in production, link-local …): permanent,
 * since no retry makes it allowed, and certainly not sent, since it refuses before connecting.
 */
export function outboundRefusedError(providerLabel: string, detail: string | undefined): ProviderError {
  return new ProviderError({
    kind: "permanent",
    reason: `${providerLabel}: destination not allowed${detail ? `: ${detail}` : ""}`,
    code: OUTBOUND_REFUSED,
    accepted: "no",
  });
}
