import type { Metadata } from "next";
import Link from "next/link";
import { Suspense } from "react";
import { ReadOnlyNotice } from "@/components/account/read-only-notice";
import { ErrorBoundary } from "@/components/common/error-boundary";
import { RuleEditor } from "@/components/routing-rules/rule-editor";
import { Skeleton } from "@/components/ui/skeleton";
import { fetchOrNotFound, HydrateClient, prefetch, trpc } from "@/trpc/server";

export const metadata: Metadata = { title: "Routing rule · CourierX" };

/** Fetched before rendering, so an unknown id (or another tenant's) is this segment's 404, not an error. */
export default async function RoutingRulePage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  prefetch(trpc.providerConnections.list.queryOptions({ page: 1, per_page: 100 }));
  await fetchOrNotFound(trpc.routingRules.get.queryOptions({ id }));
  return (
    <HydrateClient>
      <nav aria-label="Breadcrumb" className="mb-3 text-sm">
        <Link href="/routing-rules" className="text-slate-500 hover:text-slate-800">
          ← Routing rules
        </Link>
      </nav>
      <ReadOnlyNotice />
      <ErrorBoundary title="This routing rule could not be loaded">
        <Suspense fallback={<Skeleton className="h-96 w-full" />}>
          <RuleEditor id={id} />
        </Suspense>
      </ErrorBoundary>
    </HydrateClient>
  );
}
