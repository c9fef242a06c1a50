import type { Metadata } from "next";
import type { SearchParams } from "nuqs/server";
import { EndpointDetail } from "@/components/webhooks/endpoint-detail";
import { deliveryListInput, loadDeliverySearchParams } from "@/components/webhooks/search-params";
import { fetchOrNotFound, HydrateClient, prefetch, trpc } from "@/trpc/server";

export const metadata: Metadata = { title: "Webhook endpoint · CourierX" };

export default async function WebhookEndpointPage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Promise<SearchParams> }) {
  const { id } = await params;
  const filters = await loadDeliverySearchParams(searchParams);
  prefetch(trpc.webhookEndpoints.deliveries.queryOptions(deliveryListInput(id, filters)));
  // Awaited: an endpoint of another tenant, or none, is this segment's 404.
  await fetchOrNotFound(trpc.webhookEndpoints.get.queryOptions({ id }));
  return (
    <HydrateClient>
      <EndpointDetail id={id} />
    </HydrateClient>
  );
}
