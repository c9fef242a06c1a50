import Link from "next/link";
import type { SearchParams } from "nuqs/server";
import { Suspense } from "react";
import { ErrorBoundary } from "@/components/common/error-boundary";
import { PageHeader } from "@/components/common/page-header";
import { EmailFilters } from "@/components/emails/email-filters";
import { EmailTable } from "@/components/emails/email-table";
import { RefreshEmailsButton } from "@/components/emails/refresh-button";
import { emailListInput, loadEmailSearchParams } from "@/components/emails/search-params";
import { buttonClasses } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { TableSkeleton } from "@/components/ui/skeleton";
import { HydrateClient, prefetch, trpc } from "@/trpc/server";

export const metadata = { title: "Emails · CourierX" };

export default async function EmailsPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const search = await loadEmailSearchParams(searchParams);
  prefetch(trpc.emails.list.queryOptions(emailListInput(search)));
  return (
    <>
      <PageHeader
        title="Emails"
        description="Every email sent through the API, newest first: where it is, which provider took it, and what happened since."
        actions={
          <>
            <RefreshEmailsButton />
            <Link href="/send" className={buttonClasses("primary")}>
              Send a test email
            </Link>
          </>
        }
      />
      <HydrateClient>
        <Card>
          <EmailFilters />
          <ErrorBoundary title="Emails could not be loaded">
            <Suspense fallback={<TableSkeleton columns={5} label="Loading emails…" />}>
              <EmailTable />
            </Suspense>
          </ErrorBoundary>
        </Card>
      </HydrateClient>
    </>
  );
}
