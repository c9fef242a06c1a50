import { ProviderError, type ProviderConnectionConfig } from "../types";
import { safeText } from "./redact";

/**
 * An error no classifier rule recognised. Treated as transient with an unknown outcome: retrying a
 * surprise is safer than dropping an email, and the send path bounds retries anyway.
 */
export function unexpectedProviderError(providerLabel: string, error: unknown, connection: ProviderConnectionConfig): ProviderError {
  const detail = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return new ProviderError({
    kind: "transient",
    reason: `${providerLabel}: unexpected error (${safeText(detail, connection)})`,
    accepted: "unknown",
  });
}

/** A connection that can never work as configured (missing domain, empty key): no retry helps. */
export function configurationError(providerLabel: string, problem: string): ProviderError {
  return new ProviderError({ kind: "permanent", reason: `${providerLabel}: ${problem}`, code: "configuration" });
}
