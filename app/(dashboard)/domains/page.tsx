import type { SearchParams } from "nuqs/server";
import { Suspense } from "react";
import { ReadOnlyNotice } from "@/components/account/read-only-notice";
import { ErrorBoundary } from "@/components/common/error-boundary";
import { PageHeader } from "@/components/common/page-header";
import { AddDomainButton } from "@/components/domains/add-domain-button";
import { DomainTable } from "@/components/domains/domain-table";
import { domainListInput, loadDomainSearchParams } from "@/components/domains/search-params";
import { Card } from "@/components/ui/card";
import { TableSkeleton } from "@/components/ui/skeleton";
import { HydrateClient, prefetch, trpc } from "@/trpc/server";

export const metadata = { title: "Domains · CourierX" };

export default async function DomainsPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const params = await loadDomainSearchParams(searchParams);
  prefetch(trpc.domains.list.queryOptions(domainListInput(params)));
  return (
    <>
      <PageHeader
        title="Domains"
        description="Prove you own the domains you send from. Mail from an unverified domain still goes out, but the API answers each send with a warning, and receivers trust it less."
        actions={<AddDomainButton />}
      />
      <ReadOnlyNotice />
      <HydrateClient>
        <Card>
          <ErrorBoundary title="Domains could not be loaded">
            <Suspense fallback={<TableSkeleton columns={4} label="Loading domains…" />}>
              <DomainTable />
            </Suspense>
          </ErrorBoundary>
        </Card>
      </HydrateClient>
    </>
  );
}
