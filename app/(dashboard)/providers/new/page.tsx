import type { Metadata } from "next";
import Link from "next/link";
import { Suspense } from "react";
import { ReadOnlyNotice } from "@/components/account/read-only-notice";
import { ErrorBoundary } from "@/components/common/error-boundary";
import { PageHeader } from "@/components/common/page-header";
import { ConnectProvider } from "@/components/providers/connect-provider";
import { Skeleton } from "@/components/ui/skeleton";
import { buttonClasses } from "@/components/ui/button";
import { HydrateClient, prefetch, trpc } from "@/trpc/server";

export const metadata: Metadata = { title: "Connect a provider · CourierX" };

export default function ConnectProviderPage() {
  // The existing connections' priorities: a new connection goes after them.
  prefetch(trpc.providerConnections.list.queryOptions({ page: 1, per_page: 100 }));
  return (
    <HydrateClient>
      <PageHeader
        title="Connect a provider"
        description="Use your own provider account: CourierX encrypts the credentials, checks them with the provider, and sends through it on your behalf."
        actions={
          <Link href="/providers" className={buttonClasses("secondary")}>
            Back to providers
          </Link>
        }
      />
      <ReadOnlyNotice />
      <ErrorBoundary title="The connect form could not be loaded">
        <Suspense fallback={<Skeleton className="h-64 w-full" />}>
          <ConnectProvider />
        </Suspense>
      </ErrorBoundary>
    </HydrateClient>
  );
}
