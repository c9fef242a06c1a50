const MAX_RETRY_AFTER_MS = 24 * 60 * 60 * 1000;

type HeaderBag = Record<string, unknown> | undefined | null;

/**
 * Reads the provider's own back-off hint: Retry-After (seconds or HTTP date), then the epoch-seconds
 * X-RateLimit-Reset (SendGrid), then the delta-seconds RateLimit-Reset (Resend).
 */
export function retryAfterMsFromHeaders(headers: HeaderBag, now: number = Date.now()): number | undefined {
  if (!headers) return undefined;
  const retryAfter = headerValue(headers, "retry-after");
  if (retryAfter !== undefined) {
    const parsed = parseRetryAfter(retryAfter, now);
    if (parsed !== undefined) return parsed;
  }
  const epochReset = headerValue(headers, "x-ratelimit-reset");
  if (epochReset !== undefined && /^\d+$/.test(epochReset)) {
    return clamp(Number(epochReset) * 1000 - now);
  }
  const deltaReset = headerValue(headers, "ratelimit-reset");
  if (deltaReset !== undefined && /^\d+$/.test(deltaReset)) {
    return clamp(Number(deltaReset) * 1000);
  }
  return undefined;
}

export function parseRetryAfter(value: string, now: number = Date.now()): number | undefined {
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return clamp(Number(trimmed) * 1000);
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : clamp(date - now);
}

function headerValue(headers: Record<string, unknown>, name: string): string | undefined {
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() !== name) continue;
    if (typeof value === "string") return value;
    if (typeof value === "number") return String(value);
    if (Array.isArray(value) && typeof value[0] === "string") return value[0];
  }
  return undefined;
}

function clamp(ms: number): number {
  return Math.min(Math.max(Math.round(ms), 0), MAX_RETRY_AFTER_MS);
}
