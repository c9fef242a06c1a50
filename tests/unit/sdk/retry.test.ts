import { describe, expect, it } from "vitest";
import { INITIAL_DELAY_MS, MAX_BACKOFF_MS, MAX_SERVER_DELAY_MS, parseRateLimitReset, parseRetryAfter, retryDelayMs, serverDelaySeconds } from "@/sdk/node/src/retry";

const NOW = Date.parse("2026-03-22T10:30:00Z");

describe("Retry-After parsing", () => {
  it("reads delta-seconds, whole or fractional", () => {
    expect(parseRetryAfter("1", NOW)).toBe(1);
    expect(parseRetryAfter(" 120 ", NOW)).toBe(120);
    expect(parseRetryAfter("0.5", NOW)).toBe(0.5);
    expect(parseRetryAfter("0", NOW)).toBe(0);
  });

  it("reads an HTTP date as the seconds until then, and a past date as 0", () => {
    expect(parseRetryAfter("Sun, 22 Mar 2026 10:30:30 GMT", NOW)).toBe(30);
    expect(parseRetryAfter("Sunday, 22-Mar-26 10:31:00 GMT", NOW)).toBe(60);
    expect(parseRetryAfter("Sun, 22 Mar 2026 10:00:00 GMT", NOW)).toBe(0);
  });

  it("ignores what is neither", () => {
    for (const value of [null, undefined, "", "soon", "-1", "1e3", "2026-03-22", "Sun, 99 Foo 2026"]) expect(parseRetryAfter(value, NOW), String(value)).toBeUndefined();
  });

  it("reads X-RateLimit-Reset as Unix seconds", () => {
    expect(parseRateLimitReset(String(NOW / 1000 + 12), NOW)).toBe(12);
    expect(parseRateLimitReset(String(NOW / 1000 - 5), NOW)).toBe(0);
    expect(parseRateLimitReset("tomorrow", NOW)).toBeUndefined();
  });

  it("prefers Retry-After, and uses X-RateLimit-Reset only on a 429", () => {
    const both = new Headers({ "retry-after": "3", "x-ratelimit-reset": String(NOW / 1000 + 40) });
    expect(serverDelaySeconds(429, both, NOW)).toBe(3);
    const resetOnly = new Headers({ "x-ratelimit-reset": String(NOW / 1000 + 40) });
    expect(serverDelaySeconds(429, resetOnly, NOW)).toBe(40);
    // A 200's (or 503's) rate-limit headers describe the window, not a wait.
    expect(serverDelaySeconds(503, resetOnly, NOW)).toBeUndefined();
    expect(serverDelaySeconds(undefined, undefined, NOW)).toBeUndefined();
  });
});

describe("backoff", () => {
  it("doubles from the initial delay up to the cap, jittered between half and all of it", () => {
    for (let retry = 0; retry < 8; retry++) {
      const full = Math.min(MAX_BACKOFF_MS, INITIAL_DELAY_MS * 2 ** retry);
      expect(retryDelayMs(retry, undefined, () => 0)).toBe(full / 2);
      expect(retryDelayMs(retry, undefined, () => 0.999999)).toBe(Math.round(full * 0.9999995));
    }
    expect(retryDelayMs(1, undefined, () => 0.999999)).toBeLessThanOrEqual(2 * INITIAL_DELAY_MS);
    expect(retryDelayMs(20, undefined, () => 1)).toBe(MAX_BACKOFF_MS);
  });

  it("spreads clients out: the same retry gives different waits", () => {
    const waits = new Set(Array.from({ length: 50 }, () => retryDelayMs(2, undefined)));
    expect(waits.size).toBeGreaterThan(10);
  });

  it("waits what the server asked (no jitter), and gives up when that is too long", () => {
    expect(retryDelayMs(0, 1)).toBe(1000);
    expect(retryDelayMs(3, 0.25)).toBe(250);
    expect(retryDelayMs(0, MAX_SERVER_DELAY_MS / 1000)).toBe(MAX_SERVER_DELAY_MS);
    expect(retryDelayMs(0, MAX_SERVER_DELAY_MS / 1000 + 1)).toBeNull();
  });
});
