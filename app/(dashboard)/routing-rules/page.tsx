import type { Metadata } from "next";
import type { SearchParams } from "nuqs/server";
import { Suspense } from "react";
import { ReadOnlyNotice } from "@/components/account/read-only-notice";
import { ErrorBoundary } from "@/components/common/error-boundary";
import { PageHeader } from "@/components/common/page-header";
import { CreateRuleLink, RuleTable } from "@/components/routing-rules/rule-table";
import { loadRuleListParams, ruleListInput } from "@/components/routing-rules/search-params";
import { Card } from "@/components/ui/card";
import { TableSkeleton } from "@/components/ui/skeleton";
import { HydrateClient, prefetch, trpc } from "@/trpc/server";

export const metadata: Metadata = { title: "Routing rules · CourierX" };

export default async function RoutingRulesPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const params = await loadRuleListParams(searchParams);
  prefetch(trpc.routingRules.list.queryOptions(ruleListInput(params)));
  return (
    <HydrateClient>
      <PageHeader
        title="Routing rules"
        description="Choose which provider connections an email goes through, by its sender domain or tags. Rules are checked in order; the first enabled rule that matches decides, and an email no rule matches uses every enabled connection by priority."
        actions={<CreateRuleLink />}
      />
      <ReadOnlyNotice />
      <Card>
        <ErrorBoundary title="Your routing rules could not be loaded">
          <Suspense fallback={<TableSkeleton columns={5} label="Loading routing rules…" />}>
            <RuleTable />
          </Suspense>
        </ErrorBoundary>
      </Card>
    </HydrateClient>
  );
}
