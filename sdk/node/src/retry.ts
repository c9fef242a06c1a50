/**
 * When to retry and how long to wait. The server's word wins: `Retry-After` (seconds or an HTTP date),
 * then on a 429 `X-RateLimit-Reset` (the Unix second the window resets); otherwise exponential backoff
 * with jitter, so many clients that failed together do not come back together.
 */

export const INITIAL_DELAY_MS = 500;
export const MAX_BACKOFF_MS = 8_000;
/** A server asking for a longer wait than this is not retried: the error reaches the caller at once. */
export const MAX_SERVER_DELAY_MS = 60_000;

/** Seconds to wait from a Retry-After value (delta-seconds or an HTTP date), or undefined when unreadable. */
export function parseRetryAfter(value: string | null | undefined, nowMs = Date.now()): number | undefined {
  if (value === null || value === undefined) return undefined;
  const text = value.trim();
  if (/^\d+(\.\d+)?$/.test(text)) return Number(text);
  // An HTTP date: only the forms Date.parse reads as such (IMF-fixdate and the obsolete ones); never a bare number.
  if (!/[a-z]/i.test(text)) return undefined;
  const at = Date.parse(text);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, (at - nowMs) / 1000);
}

/** Seconds until an `X-RateLimit-Reset` (Unix seconds), or undefined when unreadable. */
export function parseRateLimitReset(value: string | null | undefined, nowMs = Date.now()): number | undefined {
  if (value === null || value === undefined || !/^\d+(\.\d+)?$/.test(value.trim())) return undefined;
  return Math.max(0, Number(value) - nowMs / 1000);
}

/** The wait the server asked for, in seconds: Retry-After, else a 429's X-RateLimit-Reset. */
export function serverDelaySeconds(status: number | undefined, headers: Headers | undefined, nowMs = Date.now()): number | undefined {
  if (!headers) return undefined;
  const retryAfter = parseRetryAfter(headers.get("retry-after"), nowMs);
  if (retryAfter !== undefined) return retryAfter;
  return status === 429 ? parseRateLimitReset(headers.get("x-ratelimit-reset"), nowMs) : undefined;
}

/**
 * The pause before retry number `retry` (0 for the first retry): the server's delay when it gave one,
 * else INITIAL_DELAY_MS·2^retry capped at MAX_BACKOFF_MS, jittered down to between half and all of it.
 * Null when the server asked for more than MAX_SERVER_DELAY_MS (do not retry).
 */
export function retryDelayMs(retry: number, serverDelay: number | undefined, random: () => number = Math.random): number | null {
  if (serverDelay !== undefined) {
    const ms = Math.ceil(serverDelay * 1000);
    return ms > MAX_SERVER_DELAY_MS ? null : ms;
  }
  const backoff = Math.min(MAX_BACKOFF_MS, INITIAL_DELAY_MS * 2 ** retry);
  return Math.round(backoff * (0.5 + random() / 2));
}

/** Statuses worth another try: rate limited, or the server (or a proxy in front of it) failed. */
export function isRetryableStatus(status: number): boolean {
  return status === 429 || status >= 500;
}
