"use client";
import { Card, CardBody, CardHeader } from "../ui/card";
import { formatRate } from "./rate-cards";
import { PERIOD_LABELS, providerLabel } from "./overview-labels";
import { NoProviderState } from "./provider-health-card";
import { ProviderShareChart, type ProviderShare } from "./provider-share-chart";
import type { OverviewSearch } from "./search-params";
import { useOverviewAnalytics } from "./use-overview";

/** Sums the usage days per provider: connected providers always, the no-provider row only when it has counts. */
export function shareOf(days: { provider: string | null; sent: number; failed: number }[], test: boolean): ProviderShare[] {
  const byProvider = new Map<string | null, { sent: number; failed: number }>();
  for (const day of days) {
    const row = byProvider.get(day.provider) ?? { sent: 0, failed: 0 };
    row.sent += day.sent;
    row.failed += day.failed;
    byProvider.set(day.provider, row);
  }
  const totalSent = [...byProvider.values()].reduce((n, row) => n + row.sent, 0);
  return [...byProvider.entries()]
    .filter(([provider, row]) => provider !== null || row.sent + row.failed > 0)
    .sort(([, a], [, b]) => b.sent - a.sent || b.failed - a.failed)
    .map(([provider, row]) => ({
      label: providerLabel(provider, test),
      ...row,
      summary: totalSent > 0 ? `${row.sent} · ${formatRate(row.sent / totalSent)}` : String(row.sent),
    }));
}

/** Which providers carried the period's emails (share of sent), with what each refused. */
export function ProviderShareCard({ search }: { search: OverviewSearch }) {
  const { usage } = useOverviewAnalytics(search);
  const data = shareOf(usage.days, usage.test);
  return (
    <Card>
      <CardHeader
        title="Share per provider"
        description={`Emails each provider accepted (sent) or refused (failed), ${PERIOD_LABELS[search.period].toLowerCase()}; the label is its share of all sent.${usage.test ? " In test mode the sandbox plays each connection's provider: nothing reached it." : ""}`}
      />
      <CardBody>
        {data.length === 0 ? (
          <NoProviderState />
        ) : (
          <figure aria-label="Emails per provider">
            <ProviderShareChart data={data} />
          </figure>
        )}
      </CardBody>
    </Card>
  );
}
