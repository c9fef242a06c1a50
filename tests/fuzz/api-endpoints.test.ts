/**
 * Issue 13 item 10: FUZZ_RUNS (default 1000, at least 200) generated requests per /api/v1 endpoint, from
 * the endpoint's zod schema and then mutated, through the real route handlers on the real database.
 * Properties: never a 5xx; the seed's body for every status; JSON on every body; the right refusal for
 * bad credentials, other tenants' rows and oversized bodies; the row count of every table unchanged by
 * every rejected request. Wrong methods must answer 405 with Allow, unknown paths 404.
 */
import fc from "fast-check";
import { readdirSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { env } from "@/server/env";
import type { ApiResponse } from "../helpers/api";
import { fuzzRuns, fuzzSeed } from "./support/config";
import { ENDPOINTS, type Endpoint, label, METHODS, type Method } from "./support/endpoints";
import { ACCOUNTING_TABLES, type EndpointFigures, formatFailures, Fuzzer } from "./support/harness";
import { garbageId, nastyString, wellFormed } from "./support/nasty-values";
import { type Caller, callers, forgedJwt, type FuzzRequest, requestArbitrary } from "./support/requests";
import { listTables, seedWorld, type World } from "./support/world";

const RUNS = fuzzRuns();
const SEED = fuzzSeed();
const TIMEOUT = 10 * 60_000;

let world: World;
let fuzzer: Fuzzer;
let forged: string;
let tables: string[];
const originalLimit = env.RATE_LIMIT_PER_MINUTE;
const originalTrust = (env as Record<string, unknown>).TRUST_PROXY;

beforeAll(async () => {
  // The limiter would answer most of the fuzz with 429 (rate-limit.test.ts covers it): lift it for this file.
  env.RATE_LIMIT_PER_MINUTE = 1_000_000_000;
  // Believe X-Forwarded-For (one proxy), so each anonymous request can come from its own address.
  Object.assign(env, { TRUST_PROXY: { kind: "hops", hops: 1 } });
  world = await seedWorld();
  forged = await forgedJwt(world);
  tables = await listTables();
  fuzzer = new Fuzzer(world, tables);
}, 120_000);

afterAll(async () => {
  env.RATE_LIMIT_PER_MINUTE = originalLimit;
  Object.assign(env, { TRUST_PROXY: originalTrust });
  if (fuzzer) printFigures(fuzzer.figures);
  await world?.close();
});

function printFigures(figures: Map<string, EndpointFigures>): void {
  const width = Math.max(44, ...[...figures.keys()].map((name) => name.length));
  const rows = [...figures.entries()].map(([name, f]) => {
    const statuses = [...f.statuses.entries()].sort(([a], [b]) => a - b).map(([s, n]) => `${s}×${n}`).join(" ");
    return `${name.padEnd(width)} ${String(f.requests).padStart(5)} ${String(f.mutated).padStart(7)} ${String(f.serverErrors).padStart(4)} ${`${f.rejectedWithTablesUnchanged}/${f.rejected}`.padStart(11)}  ${statuses}${f.unsendable ? `  (${f.unsendable} not sendable)` : ""}${f.unroutable ? `  (${f.unroutable} left the route tree)` : ""}${f.unverified ? `  (${f.unverified} refusals unverified)` : ""}  [${(f.handlerMs / 1000).toFixed(1)} s in handlers, ${(f.countingMs / 1000).toFixed(1)} s counting]`;
  });
  const total = [...figures.values()].reduce((t, f) => ({ requests: t.requests + f.requests, serverErrors: t.serverErrors + f.serverErrors, rejected: t.rejected + f.rejected, unchanged: t.unchanged + f.rejectedWithTablesUnchanged }), { requests: 0, serverErrors: 0, rejected: 0, unchanged: 0 });
  console.log(
    [
      `fuzz figures (FUZZ_RUNS=${RUNS}, FUZZ_SEED=${SEED}): rows of ${tables.filter((t) => !ACCOUNTING_TABLES.has(t)).length} of the schema's ${tables.length} tables counted after every request (${[...ACCOUNTING_TABLES].join(", ")} counts requests, accepted or not)`,
      `${"endpoint".padEnd(width)} ${"reqs".padStart(5)} ${"mutated".padStart(7)} ${"5xx".padStart(4)} ${"unchanged".padStart(11)}  statuses`,
      ...rows,
      `total: ${total.requests} requests, 5xx = ${total.serverErrors}, tables unchanged after ${total.unchanged} of ${total.rejected} rejected requests`,
    ].join("\n"),
  );
}

/** `judge` replaces the endpoint checks (the shape checks stay); it must demand a refusal. */
async function fuzz(name: string, arbitrary: fc.Arbitrary<FuzzRequest>, seed: number, judge?: (req: FuzzRequest, res: ApiResponse) => string[]): Promise<void> {
  await fuzzer.resetBaseline();
  await fc.assert(
    fc.asyncProperty(arbitrary, async (req) => {
      await fuzzer.exercise(name, req, judge ? { judge: (res) => judge(req, res), certain: true } : {});
    }),
    // A few generated requests cannot be sent (see the figures): a small margin keeps RUNS a floor.
    { numRuns: Math.ceil(RUNS * 1.03), seed, endOnFailure: true },
  );
  await fuzzer.verifyPending();
  const figures = fuzzer.figuresFor(name);
  expect(figures.requests, `${name}: requests actually sent`).toBeGreaterThanOrEqual(RUNS);
  const failures = fuzzer.failuresFor(name);
  expect(failures, `FUZZ_SEED=${SEED}\n${formatFailures(failures, fuzzer.occurrences(name))}`).toEqual([]);
}

/** The app/api/v1 tree as templates ("/api/v1/emails/:id", "[deliveryId]" as ":deliveryId"; the catch-all as "*"). */
function routeTemplates(): { template: string; file: string }[] {
  const dir = path.resolve("app/api/v1");
  return readdirSync(dir, { recursive: true, encoding: "utf8" })
    .filter((f) => f.endsWith("route.ts"))
    .map((f) => {
      const segments = path.dirname(f).split(path.sep).filter((s) => s !== ".");
      const template = ["/api/v1", ...segments.map((s) => (s.startsWith("[...") || s.startsWith("[[...") ? "*" : s.startsWith("[") ? `:${s.slice(1, -1)}` : s))].join("/");
      return { template, file: path.join(dir, f) };
    });
}

function matchesTemplate(pathname: string, template: string): boolean {
  const parts = pathname.split("/").filter(Boolean);
  const segments = template.split("/").filter(Boolean);
  return parts.length === segments.length && segments.every((s, i) => s.startsWith(":") || s === parts[i]);
}

describe("fuzz: every /api/v1 endpoint", () => {
  it("has an entry for every route file and method of app/api/v1", async () => {
    const routes = routeTemplates();
    // The OpenAPI document is static and public, not an endpoint to fuzz (tests/integration/openapi covers it).
    const templates = routes.map((r) => r.template).filter((t) => !t.endsWith("*") && t !== "/api/v1/openapi.json");
    expect(templates.sort()).toEqual([...new Set(ENDPOINTS.map((e) => e.path))].sort());
    expect(routes.some((r) => r.template === "/api/v1/*")).toBe(true);
    for (const e of ENDPOINTS) {
      const mod = (await import(routes.find((r) => r.template === e.path)!.file)) as Record<string, unknown>;
      expect(typeof mod[e.method], label(e)).toBe("function");
    }
  });

  ENDPOINTS.forEach((endpoint, i) => {
    it(
      `${label(endpoint)}: ${RUNS} generated and mutated requests`,
      async () => {
        await fuzz(label(endpoint), requestArbitrary(world, endpoint, forged), SEED + i);
      },
      TIMEOUT,
    );
  });

  it(
    `wrong methods on every path: ${RUNS} requests answer 405 with Allow`,
    async () => {
      const byPath = new Map<string, Endpoint[]>();
      for (const e of ENDPOINTS) byPath.set(e.path, [...(byPath.get(e.path) ?? []), e]);
      const pairs = [...byPath.entries()].flatMap(([p, list]) => METHODS.filter((m) => !list.some((e) => e.method === m)).map((m) => [p, m] as [string, Method]));
      const arbitrary = fc.constantFrom(...pairs).chain(([p, method]) => {
        const base = byPath.get(p)![0]!;
        // The same path with a method it does not implement (GET cannot carry a body).
        const wrong: Endpoint = { ...base, method, body: method === "GET" ? undefined : base.body, consumesRow: false };
        return requestArbitrary(world, wrong, forged).filter((r) => r.id?.ref !== "raw" && r.child?.ref !== "raw");
      });
      await fuzz("wrong method (any path)", arbitrary, SEED + 100, (req, res) => {
        const allowed = byPath.get(req.endpoint.path)!.map((e) => e.method);
        const problems: string[] = [];
        if (res.status !== 405) problems.push(`${req.method} ${req.endpoint.path} answered ${res.status}, not 405`);
        const allow = (res.headers.get("allow") ?? "")
          .split(",")
          .map((m) => m.trim().toUpperCase())
          .filter((m) => m && m !== "HEAD" && m !== "OPTIONS");
        if (res.status === 405 && allow.sort().join() !== [...allowed].sort().join()) problems.push(`405 with Allow ${JSON.stringify(res.headers.get("allow"))}, expected ${allowed.join(", ")}`);
        return problems;
      });
    },
    TIMEOUT,
  );

  it(
    `unknown paths under /api/v1: ${RUNS} requests answer 404 {"error": "Not found"}`,
    async () => {
      const known = ENDPOINTS.map((e) => e.path);
      const segment = fc.oneof(
        fc.constantFrom("emails", "api_keys", "auth", "domains", "webhook_endpoints", "analytics", "usage", "provider_connections", "routing_rules", "suppressions", "register", "login", "me", "revoke", "verify", "v2", "admin", "..", ".", "%2e%2e", "%2F", "index.php", "graphql", ".env", "%00", "~root"),
        garbageId.map((s) => encodeURIComponent(wellFormed(s))),
        fc.uuid(),
      );
      const pathArb = fc
        .array(segment, { minLength: 1, maxLength: 5 })
        .map((segments) => `/api/v1/${segments.join("/")}`)
        .filter((p) => {
          const pathname = new URL(p, "http://localhost").pathname;
          return pathname.startsWith("/api/v1/") && pathname.split("/").filter(Boolean).length > 2 && !known.some((t) => matchesTemplate(pathname, t));
        });
      const who = callers(world, forged);
      const arbitrary = fc
        .record({
          path: pathArb,
          method: fc.constantFrom(...METHODS),
          caller: fc.oneof(who.valid, who.invalid),
          text: fc.option(fc.oneof(nastyString, fc.jsonValue().map((v) => JSON.stringify(v))), { nil: undefined }),
        })
        .map(({ path: p, method, caller, text }): FuzzRequest => {
          const endpoint: Endpoint = { method, path: p, auth: "token", success: { statuses: [], shape: "object" } };
          const body = method === "GET" || text === undefined ? undefined : { text, contentType: "application/json", note: "any", mutated: true };
          return { method, endpoint, caller: caller as Caller, query: "", headers: {}, body, mutated: ["path"] };
        });
      await fuzz("unknown path (catch-all)", arbitrary, SEED + 200, (req, res) => {
        const body = res.body as { error?: unknown } | null;
        return res.status === 404 && body?.error === "Not found" ? [] : [`${req.method} ${req.endpoint.path} answered ${res.status} ${res.text.slice(0, 100)}, not 404 {"error": "Not found"}`];
      });
    },
    TIMEOUT,
  );
});
