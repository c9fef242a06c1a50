/** Time strings of the protocol (sleeps, Retry-After) and the engine's default retry backoff. */

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };
const TIME_STRING = /^(?:\d+(?:\.\d+)?(?:ms|s|m|h|d|w))+$/;
const TIME_PART = /(\d+(?:\.\d+)?)(ms|s|m|h|d|w)/g;

/**
 * When a `Sleep` op is due: its name is a time string such as "1s" or "1h30m" (the SDK writes
 * `step.sleep` that way) or an ISO date (`step.sleepUntil`). Returns epoch ms, or undefined if unreadable.
 */
export function sleepUntil(name: string, nowMs: number): number | undefined {
  if (name === "") return nowMs;
  if (TIME_STRING.test(name)) {
    let total = 0;
    for (const [, amount, unit] of name.matchAll(TIME_PART)) total += Number(amount) * UNIT_MS[unit!]!;
    return nowMs + total;
  }
  const at = Date.parse(name);
  return Number.isNaN(at) ? undefined : at;
}

/** `Retry-After` as the SDK sends it for RetryAfterError: whole seconds, or an ISO/HTTP date. */
export function retryAfterMs(header: string | null, nowMs: number): number | undefined {
  if (!header) return undefined;
  if (/^\d+$/.test(header.trim())) return Number(header) * 1000;
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, at - nowMs);
}

/** Backoff before retry number `attempt + 1`, given the 0-based attempt that just failed. */
export type Backoff = (attempt: number) => number;

const BACKOFF_BASE_MS = 1000;
const BACKOFF_CAP_MS = 10 * 60_000;

/**
 * 1 s, 2 s, 4 s, 8 s… capped at 10 min, ±25 % jitter so that runs failing together (a provider outage)
 * do not retry in lockstep. Shorter than Inngest Cloud's (15 s, 30 s, 1 m…) because the product's own
 * long waits (the send plan's retry rounds) are explicit `step.sleep`s, not step retries.
 */
export const defaultBackoff: Backoff = (attempt) => {
  const base = Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** Math.min(attempt, 20));
  return Math.round(base * (0.75 + Math.random() * 0.5));
};
