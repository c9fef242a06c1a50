"use client";
import { useQueryStates } from "nuqs";
import { Suspense, useDeferredValue, type ReactNode } from "react";
import { ErrorBoundary } from "../common/error-boundary";
import { PageHeader } from "../common/page-header";
import { Card, CardBody } from "../ui/card";
import { cn } from "../ui/cn";
import { Skeleton } from "../ui/skeleton";
import { GetStarted } from "./get-started";
import { PERIOD_LABELS } from "./overview-labels";
import { ProviderHealthCard } from "./provider-health-card";
import { ProviderShareCard } from "./provider-share-card";
import { RateCards } from "./rate-cards";
import { RecentFailuresCard } from "./recent-failures-card";
import { overviewSearchParams, type OverviewSearch } from "./search-params";
import { Segmented } from "./segmented";
import { useSetupSteps } from "./use-overview";
import { VolumeCard } from "./volume-card";

const PERIODS = (Object.keys(PERIOD_LABELS) as OverviewSearch["period"][]).map((value) => ({ value, label: value.replace("d", " days") }));
const MODES = [
  { value: "live", label: "Live" },
  { value: "test", label: "Test" },
] as const;

/** The overview: a get-started checklist until the first email, then rates, volume, providers and failures. */
export function OverviewView() {
  const [search, setSearch] = useQueryStates(overviewSearchParams);
  // While the cards of a new period or mode load, the previous ones stay (dimmed) instead of skeletons.
  const shown = useDeferredValue(search);
  const stale = shown.period !== search.period || shown.mode !== search.mode;
  return (
    <>
      <PageHeader title="Overview" description="How your email is doing: what was sent, what arrived, which providers carried it and what failed." />
      <ErrorBoundary title="The overview could not be loaded">
        <Suspense fallback={<OverviewSkeleton />}>
          <OverviewBody
            search={shown}
            stale={stale}
            controls={
              <div className="flex flex-wrap items-center gap-2">
                <Segmented label="Period" options={PERIODS} value={search.period} onChange={(period) => void setSearch({ period })} />
                <Segmented label="Data" options={MODES} value={search.mode} onChange={(mode) => void setSearch({ mode })} />
              </div>
            }
          />
        </Suspense>
      </ErrorBoundary>
    </>
  );
}

function OverviewBody({ search, stale, controls }: { search: OverviewSearch; stale: boolean; controls: ReactNode }) {
  const steps = useSetupSteps();
  if (!steps.hasSent) return <GetStarted steps={steps} />;
  const setUp = steps.connected && steps.hasApiKey;
  return (
    <div className="space-y-6">
      {!setUp && <GetStarted steps={steps} compact />}
      <div className="flex flex-wrap items-center justify-between gap-3">
        <p className="text-sm text-slate-600">
          {PERIOD_LABELS[search.period]}, {search.mode === "live" ? "live emails" : "test emails (sandbox sends and test keys)"}. Days are UTC.
        </p>
        {controls}
      </div>
      <div aria-busy={stale || undefined} className={cn("space-y-6 transition-opacity", stale && "opacity-60")}>
        <Section title="The rates could not be loaded" fallback={<StatsSkeleton />}>
          <RateCards search={search} />
        </Section>
        <Section title="The volume chart could not be loaded" fallback={<CardSkeleton height="h-72" />}>
          <VolumeCard search={search} />
        </Section>
        <div className="grid gap-6 lg:grid-cols-2">
          <Section title="The provider share could not be loaded" fallback={<CardSkeleton height="h-48" />}>
            <ProviderShareCard search={search} />
          </Section>
          <Section title="Provider health could not be loaded" fallback={<CardSkeleton height="h-48" />}>
            <ProviderHealthCard />
          </Section>
        </div>
        <Section title="The recent failures could not be loaded" fallback={<CardSkeleton height="h-40" />}>
          <RecentFailuresCard search={search} />
        </Section>
      </div>
    </div>
  );
}

/** One card's own error and loading state, so a failed query leaves the rest of the page. */
function Section({ title, fallback, children }: { title: string; fallback: ReactNode; children: ReactNode }) {
  return (
    <ErrorBoundary title={title}>
      <Suspense fallback={fallback}>{children}</Suspense>
    </ErrorBoundary>
  );
}

function StatsSkeleton() {
  return (
    <div className="grid grid-cols-2 gap-3 lg:grid-cols-4">
      {[0, 1, 2, 3].map((i) => (
        <Skeleton key={i} className="h-24" />
      ))}
    </div>
  );
}

function CardSkeleton({ height }: { height: string }) {
  return (
    <Card>
      <CardBody>
        <Skeleton className="mb-4 h-4 w-1/3" />
        <Skeleton className={height} />
      </CardBody>
    </Card>
  );
}

function OverviewSkeleton() {
  return (
    <div role="status" aria-label="Loading the overview…" className="space-y-6">
      <StatsSkeleton />
      <CardSkeleton height="h-72" />
    </div>
  );
}
