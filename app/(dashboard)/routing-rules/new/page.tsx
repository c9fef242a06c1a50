import type { Metadata } from "next";
import Link from "next/link";
import { Suspense } from "react";
import { ReadOnlyNotice } from "@/components/account/read-only-notice";
import { ErrorBoundary } from "@/components/common/error-boundary";
import { PageHeader } from "@/components/common/page-header";
import { RuleEditor } from "@/components/routing-rules/rule-editor";
import { buttonClasses } from "@/components/ui/button";
import { Skeleton } from "@/components/ui/skeleton";
import { HydrateClient, prefetch, trpc } from "@/trpc/server";

export const metadata: Metadata = { title: "Create a routing rule · CourierX" };

export default function NewRoutingRulePage() {
  // The connections to pick from.
  prefetch(trpc.providerConnections.list.queryOptions({ page: 1, per_page: 100 }));
  return (
    <HydrateClient>
      <PageHeader
        title="Create a routing rule"
        description="Emails that match go through the connections you list, with the strategy you choose."
        actions={
          <Link href="/routing-rules" className={buttonClasses("secondary")}>
            Back to routing rules
          </Link>
        }
      />
      <ReadOnlyNotice />
      <ErrorBoundary title="The rule form could not be loaded">
        <Suspense fallback={<Skeleton className="h-96 w-full" />}>
          <RuleEditor />
        </Suspense>
      </ErrorBoundary>
    </HydrateClient>
  );
}
