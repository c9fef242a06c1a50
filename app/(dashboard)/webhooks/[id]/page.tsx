import { TRPCError } from "@trpc/server";
import type { Metadata } from "next";
import { notFound } from "next/navigation";
import type { SearchParams } from "nuqs/server";
import { EndpointDetail } from "@/components/webhooks/endpoint-detail";
import { deliveryListInput, loadDeliverySearchParams } from "@/components/webhooks/search-params";
import { getQueryClient, HydrateClient, prefetch, trpc } from "@/trpc/server";

export const metadata: Metadata = { title: "Webhook endpoint · CourierX" };

export default async function WebhookEndpointPage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Promise<SearchParams> }) {
  const { id } = await params;
  const filters = await loadDeliverySearchParams(searchParams);
  prefetch(trpc.webhookEndpoints.deliveries.queryOptions(deliveryListInput(id, filters)));
  try {
    // Awaited: an endpoint of another tenant, or none, is this segment's 404.
    await getQueryClient().fetchQuery(trpc.webhookEndpoints.get.queryOptions({ id }));
  } catch (error) {
    if (error instanceof TRPCError && error.code === "NOT_FOUND") notFound();
    throw error;
  }
  return (
    <HydrateClient>
      <EndpointDetail id={id} />
    </HydrateClient>
  );
}
