import type { Metadata } from "next";
import type { SearchParams } from "nuqs/server";
import { endpointListInput, loadEndpointSearchParams } from "@/components/webhooks/search-params";
import { WebhooksView } from "@/components/webhooks/webhooks-view";
import { HydrateClient, prefetch, trpc } from "@/trpc/server";

export const metadata: Metadata = { title: "Webhooks · CourierX" };

export default async function WebhooksPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const params = await loadEndpointSearchParams(searchParams);
  prefetch(trpc.webhookEndpoints.list.queryOptions(endpointListInput(params)));
  return (
    <HydrateClient>
      <WebhooksView />
    </HydrateClient>
  );
}
