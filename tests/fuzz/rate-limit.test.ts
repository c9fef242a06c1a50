/**
 * The limiter under fuzz (api-endpoints.test.ts lifts it): once a key has used its minute's requests,
 * every further request — any endpoint, any body, any id — answers 429 with the seed's body and
 * Retry-After, and changes no rows; an anonymous client over 30 a minute gets the same on register and
 * login whatever it sends.
 */
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { env } from "@/server/env";
import { createApiKey } from "@/server/services/api-keys/create-api-key";
import type { ApiResponse } from "../helpers/api";
import { fuzzSeed } from "./support/config";
import { ENDPOINTS, label } from "./support/endpoints";
import { formatFailures, Fuzzer } from "./support/harness";
import { forgedJwt, type FuzzRequest, requestArbitrary } from "./support/requests";
import { listTables, seedWorld, type World } from "./support/world";

const KEY_LIMIT = 5;
const ANONYMOUS_LIMIT = 30;
const SEED = fuzzSeed();
const originalLimit = env.RATE_LIMIT_PER_MINUTE;

let world: World;
let fuzzer: Fuzzer;
let forged: string;

beforeAll(async () => {
  world = await seedWorld();
  forged = await forgedJwt(world);
  fuzzer = new Fuzzer(world, await listTables());
  fuzzer.spreadAddresses = false;
  env.RATE_LIMIT_PER_MINUTE = KEY_LIMIT;
}, 120_000);

afterAll(async () => {
  env.RATE_LIMIT_PER_MINUTE = originalLimit;
  await world?.close();
});

/** Windows are fixed minutes: start a sequence well inside one, so its count cannot reset halfway. */
async function awayFromWindowEdge(needMs: number): Promise<void> {
  const intoMinute = Date.now() % 60_000;
  if (intoMinute > 60_000 - needMs) await new Promise((r) => setTimeout(r, 60_500 - intoMinute));
}

function limited(res: ApiResponse, limit: number): string[] {
  const problems: string[] = [];
  if (res.status !== 429) return [`${res.status} instead of 429 over the limit`];
  if (JSON.stringify(res.body) !== JSON.stringify({ error: "Rate limit exceeded" }) && !/^Too many/.test((res.body as { error?: string })?.error ?? "")) problems.push(`429 body ${res.text.slice(0, 100)}`);
  const retryAfter = Number(res.headers.get("retry-after"));
  if (!(retryAfter >= 1 && retryAfter <= 60 * 15)) problems.push(`Retry-After ${res.headers.get("retry-after")}`);
  const remaining = res.headers.get("x-ratelimit-remaining");
  if (remaining !== null && remaining !== "0") problems.push(`X-RateLimit-Remaining ${remaining} on a 429`);
  const headerLimit = res.headers.get("x-ratelimit-limit");
  if (headerLimit !== null && headerLimit !== String(limit)) problems.push(`X-RateLimit-Limit ${headerLimit}, expected ${limit}`);
  return problems;
}

describe("fuzz: the rate limiter", () => {
  it("answers 429 to every request of a key over its limit, on every endpoint, and changes nothing", async () => {
    // Row ids are the other tenant's or random: a request inside the limit must not consume A's seeded rows.
    const endpoints = ENDPOINTS.filter((e) => e.auth === "token").map((e) => ({ ...e, consumesRow: false }));
    const request = fc.constantFrom(...endpoints).chain((e) =>
      requestArbitrary(world, e, forged)
        // A raw id can leave the route for the catch-all, which counts nothing.
        .filter((r) => r.id?.ref !== "raw" && r.child?.ref !== "raw")
        .map((r): FuzzRequest => (r.id?.ref === "seeded" && r.id.owner === "a" ? { ...r, id: { ref: "random", value: "00000000-0000-4000-8000-000000000001" } } : r)),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(request, { minLength: KEY_LIMIT + 3, maxLength: KEY_LIMIT + 10 }), async (requests) => {
        await awayFromWindowEdge(10_000);
        await fuzzer.verifyPending();
        // Made through the service: through the API the creating session would spend its own 5 requests.
        const { rawKey } = await createApiKey(world.a.tenantId, { name: "limited key", mode: "live" });
        await fuzzer.resetBaseline();
        const caller = { name: "a-live" as const, tenant: "a" as const, authorization: `Bearer ${rawKey}` };
        // Counted as answered: a request no client could send never reaches the limiter.
        let answered = 0;
        for (const r of requests) {
          await fuzzer.exercise("key over its limit", { ...r, caller }, {
            judge: (res) => {
              const i = answered++;
              return i < KEY_LIMIT ? (res.status === 429 ? [`429 on request ${i + 1} of ${KEY_LIMIT}`] : []) : limited(res, KEY_LIMIT);
            },
          });
        }
      }),
      { numRuns: 30, seed: SEED },
    );
    const figures = fuzzer.figuresFor("key over its limit");
    console.log(`rate limit fuzz (FUZZ_SEED=${SEED}): ${figures.requests} requests with fresh keys limited to ${KEY_LIMIT}/min, statuses ${[...figures.statuses].map(([s, n]) => `${s}×${n}`).join(" ")}, 5xx = ${figures.serverErrors}`);
    const failures = fuzzer.failuresFor("key over its limit");
    expect(failures, formatFailures(failures, fuzzer.occurrences("key over its limit"))).toEqual([]);
    expect(figures.statuses.get(429) ?? 0).toBeGreaterThanOrEqual(30 * 3);
  }, 300_000);

  it("answers 429 to an anonymous client over 30 requests a minute on register and login, whatever it sends", async () => {
    const endpoints = ENDPOINTS.filter((e) => e.auth === "public");
    expect(endpoints.map(label).sort()).toEqual(["POST /api/v1/auth/login", "POST /api/v1/auth/register"]);
    let client = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(fc.constantFrom(...endpoints).chain((e) => requestArbitrary(world, e, forged)), { minLength: ANONYMOUS_LIMIT + 2, maxLength: ANONYMOUS_LIMIT + 6 }), async (requests) => {
        await awayFromWindowEdge(20_000);
        await fuzzer.resetBaseline();
        const peer = `203.0.113.${++client}`;
        let answered = 0;
        for (const r of requests) {
          // Within the limit anything documented may come back (a locked account's login is a 429 too).
          await fuzzer.exercise("anonymous client over its limit", r, { peer, judge: (res) => (answered++ < ANONYMOUS_LIMIT ? [] : limited(res, ANONYMOUS_LIMIT)) });
        }
      }),
      { numRuns: 6, seed: SEED },
    );
    const figures = fuzzer.figuresFor("anonymous client over its limit");
    console.log(`anonymous rate limit fuzz: ${figures.requests} requests from 6 clients, statuses ${[...figures.statuses].map(([s, n]) => `${s}×${n}`).join(" ")}, 5xx = ${figures.serverErrors}`);
    const failures = fuzzer.failuresFor("anonymous client over its limit");
    expect(failures, formatFailures(failures, fuzzer.occurrences("anonymous client over its limit"))).toEqual([]);
  }, 300_000);
});
