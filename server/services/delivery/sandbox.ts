/**
 * Where test-mode emails end: a built-in sandbox that accepts everything, except that the metadata flag
 * `courierx_simulate_failure` (e.g. "sendgrid" or "sendgrid,aws_ses" or "all") makes the named providers
 * fail transiently, so a user can watch failover happen without touching a real provider.
 */
import { randomUUID } from "node:crypto";
import { ProviderError, type SendResult } from "../../providers/types";

export const SIMULATE_FAILURE_KEY = "courierx_simulate_failure";

export function simulatedFailures(metadata: Record<string, unknown>): Set<string> {
  const raw = metadata[SIMULATE_FAILURE_KEY];
  if (typeof raw !== "string") return new Set();
  return new Set(raw.split(",").map((s) => s.trim().toLowerCase()).filter(Boolean));
}

export function sendToSandbox(provider: string, metadata: Record<string, unknown>): SendResult {
  const failing = simulatedFailures(metadata);
  if (failing.has(provider) || failing.has("all")) {
    throw new ProviderError({ kind: "transient", reason: `Simulated ${provider} outage (test mode)`, status: 503, accepted: "no" });
  }
  return { providerMessageId: `sandbox-${randomUUID()}` };
}
