/**
 * How much the fuzz suite does. FUZZ_RUNS (default 1000, clamped to at least 200) is the number of requests
 * per endpoint; FUZZ_SEED replays a run (every figure table prints the seed it used).
 */
export const MIN_RUNS = 200;
export const DEFAULT_RUNS = 1000;

export function fuzzRuns(raw = process.env.FUZZ_RUNS): number {
  const n = Number(raw);
  if (raw === undefined || raw.trim() === "" || !Number.isFinite(n)) return DEFAULT_RUNS;
  return Math.max(MIN_RUNS, Math.floor(n));
}

export function fuzzSeed(raw = process.env.FUZZ_SEED): number {
  const n = Number(raw);
  if (raw !== undefined && raw.trim() !== "" && Number.isInteger(n)) return n;
  return Math.floor(Math.random() * 2 ** 31);
}
