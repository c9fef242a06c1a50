import type { CallOptions } from "../types";

/** Every SDK here defaults to no timeout (or minutes); a stuck provider must not hold a send slot forever. */
export const DEFAULT_TIMEOUT_MS = 10_000;

export function resolveTimeoutMs(opts: CallOptions | undefined): number {
  const value = opts?.timeoutMs;
  return value !== undefined && Number.isFinite(value) && value > 0 ? Math.ceil(value) : DEFAULT_TIMEOUT_MS;
}
