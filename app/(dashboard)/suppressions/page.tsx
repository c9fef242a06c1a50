import type { SearchParams } from "nuqs/server";
import { Suspense } from "react";
import { ReadOnlyNotice } from "@/components/account/read-only-notice";
import { ErrorBoundary } from "@/components/common/error-boundary";
import { PageHeader } from "@/components/common/page-header";
import { AddSuppressionButton } from "@/components/suppressions/add-suppression-button";
import { loadSuppressionSearchParams, suppressionListInput } from "@/components/suppressions/search-params";
import { SuppressionList } from "@/components/suppressions/suppression-list";
import { Card } from "@/components/ui/card";
import { TableSkeleton } from "@/components/ui/skeleton";
import { HydrateClient, prefetch, trpc } from "@/trpc/server";

export const metadata = { title: "Suppressions · CourierX" };

export default async function SuppressionsPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const params = await loadSuppressionSearchParams(searchParams);
  prefetch(trpc.suppressions.list.queryOptions(suppressionListInput(params)));
  return (
    <>
      <PageHeader
        title="Suppressions"
        description="Addresses CourierX will not send to. A send to one of them is marked suppressed without contacting any provider, which protects your sender reputation."
        actions={<AddSuppressionButton />}
      />
      <ReadOnlyNotice />
      <HydrateClient>
        <Card>
          <ErrorBoundary title="Suppressions could not be loaded">
            <Suspense fallback={<TableSkeleton columns={5} label="Loading suppressions…" />}>
              <SuppressionList />
            </Suspense>
          </ErrorBoundary>
        </Card>
      </HydrateClient>
    </>
  );
}
