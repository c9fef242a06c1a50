import { DomainDetail } from "@/components/domains/domain-detail";
import { fetchOrNotFound, HydrateClient, trpc } from "@/trpc/server";

export const metadata = { title: "Domain · CourierX" };

/** Fetched before rendering, so an unknown id (or another tenant's) is this segment's 404, not an error. */
export default async function DomainPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  await fetchOrNotFound(trpc.domains.get.queryOptions({ id }));
  return (
    <HydrateClient>
      <DomainDetail id={id} />
    </HydrateClient>
  );
}
