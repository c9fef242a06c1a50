/** One autocannon run against a route: requests per second and latency percentiles (ms). */
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
// autocannon ships no types; the few fields read here are checked at run time.
const autocannon = require("autocannon") as (opts: Record<string, unknown>) => Promise<any>;

export interface RouteFigures {
  rps: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
}

export async function measureRoute(options: { url: string; headers: Record<string, string>; body: string; connections: number; seconds: number }): Promise<RouteFigures> {
  const result = await autocannon({
    url: options.url,
    method: "POST",
    headers: options.headers,
    body: options.body,
    connections: options.connections,
    duration: options.seconds,
  });
  if (result.non2xx > 0 || result.errors > 0) {
    console.warn(`  ${options.url}: ${result.non2xx} non-2xx answers, ${result.errors} errors`);
  }
  return { rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, non2xx: result.non2xx, errors: result.errors };
}
