import type { Metadata } from "next";
import type { SearchParams } from "nuqs/server";
import { OverviewView } from "@/components/overview/overview-view";
import { analyticsInput, loadOverviewSearchParams, recentFailureInputs, SETUP_INPUTS } from "@/components/overview/search-params";
import { HydrateClient, prefetch, trpc } from "@/trpc/server";

export const metadata: Metadata = { title: "Overview · CourierX" };

export default async function OverviewPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const search = await loadOverviewSearchParams(searchParams);
  prefetch(trpc.providerConnections.list.queryOptions(SETUP_INPUTS.connections));
  prefetch(trpc.apiKeys.list.queryOptions(SETUP_INPUTS.apiKeys));
  prefetch(trpc.emails.list.queryOptions(SETUP_INPUTS.emails));
  prefetch(trpc.analytics.overview.queryOptions(analyticsInput(search)));
  for (const input of recentFailureInputs(search)) prefetch(trpc.emails.list.queryOptions(input));
  return (
    <HydrateClient>
      <OverviewView />
    </HydrateClient>
  );
}
