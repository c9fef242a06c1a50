import { createLoader, parseAsStringLiteral, type inferParserType } from "nuqs/server";
import { METRIC_PERIODS } from "@/server/services/analytics/schemas";

/** Live data by default; test mode's emails (sandbox sends, test keys) are counted apart. */
export const OVERVIEW_MODES = ["live", "test"] as const;

/** The overview's URL state (?period=30d&mode=test), read the same way by the page (server) and the cards (client). */
export const overviewSearchParams = {
  period: parseAsStringLiteral(METRIC_PERIODS).withDefault("7d"),
  mode: parseAsStringLiteral(OVERVIEW_MODES).withDefault("live"),
};

export type OverviewSearch = inferParserType<typeof overviewSearchParams>;

export const loadOverviewSearchParams = createLoader(overviewSearchParams);

/** analytics.overview's input for the URL's state. */
export function analyticsInput({ period, mode }: OverviewSearch) {
  return { period, test: mode === "test" ? ("true" as const) : ("false" as const) };
}

export const RECENT_FAILURES = 10;
const FAILURE_STATUSES = ["failed", "bounced"] as const;

/** The emails.list inputs of the recent failures: the newest failed and the newest bounced, of the mode shown. */
export function recentFailureInputs({ mode }: OverviewSearch) {
  return FAILURE_STATUSES.map((status) => ({ status, per_page: RECENT_FAILURES, test: mode === "test" ? ("true" as const) : ("false" as const) }));
}

/** What the setup checklist reads: is there any connection, API key, email (of either mode)? One row is enough. */
export const SETUP_INPUTS = { connections: { per_page: 100 }, apiKeys: { per_page: 1 }, emails: { per_page: 1 } } as const;
