import type { Metadata } from "next";
import type { SearchParams } from "nuqs/server";
import { Suspense } from "react";
import { ReadOnlyNotice } from "@/components/account/read-only-notice";
import { ErrorBoundary } from "@/components/common/error-boundary";
import { PageHeader } from "@/components/common/page-header";
import { ConnectionTable, ConnectProviderLink } from "@/components/providers/connection-table";
import { loadProviderListParams, providerListInput } from "@/components/providers/search-params";
import { Card } from "@/components/ui/card";
import { TableSkeleton } from "@/components/ui/skeleton";
import { HydrateClient, prefetch, trpc } from "@/trpc/server";

export const metadata: Metadata = { title: "Providers · CourierX" };

export default async function ProvidersPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const params = await loadProviderListParams(searchParams);
  prefetch(trpc.providerConnections.list.queryOptions(providerListInput(params)));
  return (
    <HydrateClient>
      <PageHeader
        title="Providers"
        description="Your own provider accounts. Sends try the enabled connections by priority (lowest number first) and fail over to the next on a timeout, rate limit or outage, unless a routing rule says otherwise."
        actions={<ConnectProviderLink />}
      />
      <ReadOnlyNotice />
      <Card>
        <ErrorBoundary title="Your provider connections could not be loaded">
          <Suspense fallback={<TableSkeleton columns={6} label="Loading provider connections…" />}>
            <ConnectionTable />
          </Suspense>
        </ErrorBoundary>
      </Card>
    </HydrateClient>
  );
}
