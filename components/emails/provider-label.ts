import { providerLabel } from "../providers/provider-catalog";

/** Who took an email: its provider, the sandbox for a test email that had no connection to go through, or nobody yet. */
export function emailProviderLabel(email: { provider: string | null; test: boolean; status: string }): string | null {
  if (email.provider) return providerLabel(email.provider);
  return email.test && !["queued", "suppressed", "canceled"].includes(email.status) ? "Sandbox" : null;
}
