import { TRPCError } from "@trpc/server";
import { notFound } from "next/navigation";
import { DomainDetail } from "@/components/domains/domain-detail";
import { getQueryClient, HydrateClient, trpc } from "@/trpc/server";

export const metadata = { title: "Domain · CourierX" };

/** Fetched before rendering, so an unknown id (or another tenant's) is this segment's 404, not an error. */
export default async function DomainPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  try {
    await getQueryClient().fetchQuery(trpc.domains.get.queryOptions({ id }));
  } catch (error) {
    if (error instanceof TRPCError && error.code === "NOT_FOUND") notFound();
    throw error;
  }
  return (
    <HydrateClient>
      <DomainDetail id={id} />
    </HydrateClient>
  );
}
