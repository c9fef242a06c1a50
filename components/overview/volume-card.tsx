"use client";
import { EmptyState } from "../common/empty-state";
import { Card, CardBody, CardHeader } from "../ui/card";
import { PERIOD_LABELS } from "./overview-labels";
import type { OverviewSearch } from "./search-params";
import { useOverviewAnalytics } from "./use-overview";
import { VolumeChart, type VolumeDay } from "./volume-chart";

/** Volume by day and outcome over the period, from the analytics rollup. */
export function VolumeCard({ search }: { search: OverviewSearch }) {
  const { daily } = useOverviewAnalytics(search).metrics;
  const data: VolumeDay[] = daily.map(({ date, sent, failed, suppressed, delivered, bounced }) => ({ date, sent, failed, suppressed, delivered, bounced }));
  const empty = data.every((d) => d.sent + d.failed + d.suppressed + d.delivered + d.bounced === 0);
  return (
    <Card>
      <CardHeader
        title="Volume by day"
        description={`Emails of the ${PERIOD_LABELS[search.period].toLowerCase()} (UTC days) by what happened: sent, failed or suppressed, and the deliveries and bounces providers reported.`}
      />
      <CardBody>
        {empty ? (
          <EmptyState
            title={`No ${search.mode} emails in the ${PERIOD_LABELS[search.period].toLowerCase()}`}
            description={search.mode === "live" ? "Sandbox sends and test keys count as test data: switch to Test to see them." : "Send to the sandbox or with a test key to see test data here."}
          />
        ) : (
          <figure aria-label={`Emails per day, ${PERIOD_LABELS[search.period].toLowerCase()}`}>
            <VolumeChart data={data} />
          </figure>
        )}
      </CardBody>
    </Card>
  );
}
