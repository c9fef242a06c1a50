import { providerLabel as catalogueLabel } from "../providers/provider-catalog";
import type { OverviewSearch } from "./search-params";

export const PERIOD_LABELS: Record<OverviewSearch["period"], string> = { "7d": "Last 7 days", "30d": "Last 30 days", "90d": "Last 90 days" };

/**
 * A provider as the charts name it. Usage's null row holds what no provider handled: in test mode the
 * sandbox's sends without a connection, otherwise suppressed emails and failures no single provider refused.
 */
export function providerLabel(provider: string | null, test: boolean): string {
  if (provider === null) return test ? "Sandbox" : "No provider";
  return catalogueLabel(provider);
}
