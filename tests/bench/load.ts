/** One autocannon run against a route: requests per second, latency percentiles (ms), and the CPU it cost. */
import { createRequire } from "node:module";
import { measureCpu, type CpuTarget } from "./cpu";

const require = createRequire(import.meta.url);
// autocannon ships no types; the few fields read here are checked at run time.
const autocannon = require("autocannon") as (opts: Record<string, unknown>) => Promise<any>;

export interface RouteFigures {
  rps: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
  /** 2xx answers (the send API's 202s, the bare route's 200s). */
  accepted: number;
  /** CPU milliseconds each of the given targets used during the run (see cpu.ts). */
  cpuMs: Record<string, number>;
  wallMs: number;
  /** Monotonic bounds of the run in microseconds (for selecting it in a .cpuprofile). */
  startUs: number;
  endUs: number;
}

export async function measureRoute(options: {
  url: string;
  headers: Record<string, string>;
  body: string;
  connections: number;
  seconds: number;
  /** Processes whose CPU time over the run is reported in cpuMs, e.g. { web: pid, bench: "self" }. */
  cpu?: Record<string, CpuTarget>;
}): Promise<RouteFigures> {
  const { result, cpuMs, wallMs, startUs, endUs } = await measureCpu(options.cpu ?? {}, () =>
    autocannon({
      url: options.url,
      method: "POST",
      headers: options.headers,
      body: options.body,
      connections: options.connections,
      duration: options.seconds,
    }),
  );
  if (result.non2xx > 0 || result.errors > 0) {
    console.warn(`  ${options.url}: ${result.non2xx} non-2xx answers, ${result.errors} errors`);
  }
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors,
    accepted: Number(result["2xx"]),
    cpuMs,
    wallMs,
    startUs,
    endUs,
  };
}
