import type { Metadata } from "next";
import Link from "next/link";
import { ReadOnlyNotice } from "@/components/account/read-only-notice";
import { ConnectionDetail } from "@/components/providers/connection-detail";
import { fetchOrNotFound, HydrateClient, trpc } from "@/trpc/server";

export const metadata: Metadata = { title: "Provider connection · CourierX" };

/** Fetched before rendering, so an unknown id (or another tenant's) is this segment's 404, not an error. */
export default async function ProviderConnectionPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  await fetchOrNotFound(trpc.providerConnections.get.queryOptions({ id }));
  return (
    <HydrateClient>
      <nav aria-label="Breadcrumb" className="mb-3 text-sm">
        <Link href="/providers" className="text-slate-500 hover:text-slate-800">
          ← Providers
        </Link>
      </nav>
      <ReadOnlyNotice />
      <ConnectionDetail id={id} />
    </HydrateClient>
  );
}
