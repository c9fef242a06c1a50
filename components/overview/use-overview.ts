"use client";
import { useSuspenseQueries, useSuspenseQuery } from "@tanstack/react-query";
import type { inferRouterOutputs } from "@trpc/server";
import type { AppRouter } from "@/server/trpc/root";
import { useTRPC } from "@/trpc/client";
import type { SetupSteps } from "./get-started";
import { analyticsInput, RECENT_FAILURES, recentFailureInputs, SETUP_INPUTS, type OverviewSearch } from "./search-params";

type Outputs = inferRouterOutputs<AppRouter>;
export type OverviewAnalytics = Outputs["analytics"]["overview"];
export type ConnectionRow = Outputs["providerConnections"]["list"]["items"][number];
export type EmailRow = Outputs["emails"]["list"]["items"][number];

/** The period's metrics and per-provider usage (one query shared by the cards that show them). */
export function useOverviewAnalytics(search: OverviewSearch): OverviewAnalytics {
  const trpc = useTRPC();
  return useSuspenseQuery(trpc.analytics.overview.queryOptions(analyticsInput(search))).data;
}

/** The connections, and when they were loaded (ms since the epoch; the same on the server and after hydration). */
export function useConnections(): { items: ConnectionRow[]; checkedAt: number } {
  const trpc = useTRPC();
  const query = useSuspenseQuery(trpc.providerConnections.list.queryOptions(SETUP_INPUTS.connections));
  return { items: query.data.items, checkedAt: query.dataUpdatedAt };
}

/** Which of the first steps are done: a connection, an API key, an email of either mode. */
export function useSetupSteps(): SetupSteps & { total: { emails: number } } {
  const trpc = useTRPC();
  const [connections, apiKeys, emails] = useSuspenseQueries({
    queries: [
      trpc.providerConnections.list.queryOptions(SETUP_INPUTS.connections),
      trpc.apiKeys.list.queryOptions(SETUP_INPUTS.apiKeys),
      trpc.emails.list.queryOptions(SETUP_INPUTS.emails),
    ],
  });
  return { connected: connections.data.total > 0, hasApiKey: apiKeys.data.total > 0, hasSent: emails.data.total > 0, total: { emails: emails.data.total } };
}

/** The newest failed and bounced emails of the mode shown, merged newest first (the top 10 of each list cover the top 10 of both). */
export function useRecentFailures(search: OverviewSearch): EmailRow[] {
  const trpc = useTRPC();
  const lists = useSuspenseQueries({ queries: recentFailureInputs(search).map((input) => trpc.emails.list.queryOptions(input)) });
  return lists
    .flatMap((list) => list.data.items)
    .sort((a, b) => (b.created_at ?? "").localeCompare(a.created_at ?? "") || b.id.localeCompare(a.id))
    .slice(0, RECENT_FAILURES);
}
