"use client";
import type { ReactNode } from "react";
import { Card } from "../ui/card";
import type { OverviewSearch } from "./search-params";
import { useOverviewAnalytics } from "./use-overview";

const count = new Intl.NumberFormat("en");

export function formatRate(rate: number): string {
  return `${(rate * 100).toFixed(rate > 0 && rate < 0.001 ? 2 : 1)}%`;
}

function Stat({ label, value, detail }: { label: string; value: ReactNode; detail: ReactNode }) {
  return (
    <Card aria-label={label} className="px-4 py-3.5">
      <h3 className="text-sm font-medium text-slate-500">{label}</h3>
      <p className="mt-1 text-2xl font-semibold tracking-tight text-slate-900 tabular-nums">{value}</p>
      <p className="mt-1 text-xs text-slate-500">{detail}</p>
    </Card>
  );
}

/** Sent, and the three rates with what each is a share of (delivery and bounce of sent, complaints of delivered). */
export function RateCards({ search }: { search: OverviewSearch }) {
  const { totals, rates } = useOverviewAnalytics(search).metrics;
  const rate = (value: number, of: number) => (of > 0 ? formatRate(value) : "—");
  const overOne = rates.delivery_rate > 1 || rates.bounce_rate > 1 || rates.complaint_rate > 1;
  return (
    <div>
      <div role="group" aria-label="Totals and rates" className="grid grid-cols-2 gap-3 lg:grid-cols-4">
        <Stat label="Sent" value={count.format(totals.sent)} detail={`accepted by a provider · ${count.format(totals.failed)} failed · ${count.format(totals.suppressed)} suppressed`} />
        <Stat label="Delivery rate" value={rate(rates.delivery_rate, totals.sent)} detail={`${count.format(totals.delivered)} delivered of ${count.format(totals.sent)} sent`} />
        <Stat label="Bounce rate" value={rate(rates.bounce_rate, totals.sent)} detail={`${count.format(totals.bounced)} bounced of ${count.format(totals.sent)} sent`} />
        <Stat label="Complaint rate" value={rate(rates.complaint_rate, totals.delivered)} detail={`${count.format(totals.complained)} complaint${totals.complained === 1 ? "" : "s"} of ${count.format(totals.delivered)} delivered`} />
      </div>
      {overOne && <p className="mt-2 text-xs text-slate-500">Each event counts on its own UTC day, so over a short range a rate can pass 100% (today&apos;s deliveries of yesterday&apos;s sends).</p>}
    </div>
  );
}
