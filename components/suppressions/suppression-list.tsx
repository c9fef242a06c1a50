"use client";
import { useSuspenseQuery } from "@tanstack/react-query";
import { useQueryStates } from "nuqs";
import { useDeferredValue } from "react";
import { useTRPC } from "@/trpc/client";
import { useCanManage } from "../account/use-account";
import { DataTable, type Column } from "../common/data-table";
import { EmptyState } from "../common/empty-state";
import { Pagination } from "../common/pagination";
import { PastLastPage } from "../common/past-last-page";
import { RelativeTime } from "../common/time";
import { Badge } from "../ui/badge";
import { Button } from "../ui/button";
import { cn } from "../ui/cn";
import { AddSuppressionButton } from "./add-suppression-button";
import { REASONS } from "./reasons";
import { RemoveSuppressionButton } from "./remove-suppression-button";
import { suppressionListInput, suppressionSearchParams } from "./search-params";
import { SuppressionFilters } from "./suppression-filters";
import { SuppressionSource } from "./suppression-source";
import type { SuppressionRow } from "./types";

const COLUMNS: Column<SuppressionRow>[] = [
  { header: "Address", cell: (s) => <span className="font-medium text-slate-900">{s.email}</span> },
  { header: "Reason", cell: (s) => <Badge tone={REASONS[s.reason].tone}>{REASONS[s.reason].label}</Badge> },
  { header: "Source", cell: (s) => <SuppressionSource suppression={s} /> },
  {
    header: "Note",
    className: "max-w-64",
    cell: (s) =>
      s.note ? (
        <span className="block truncate" title={s.note}>
          {s.note}
        </span>
      ) : (
        <span className="text-slate-400">—</span>
      ),
  },
  { header: "Added", cell: (s) => <RelativeTime value={s.created_at} /> },
];

const ACTIONS: Column<SuppressionRow> = { header: <span className="sr-only">Actions</span>, className: "text-right", cell: (s) => <RemoveSuppressionButton suppression={s} /> };

export function SuppressionList() {
  const trpc = useTRPC();
  const canManage = useCanManage();
  const [params, setParams] = useQueryStates(suppressionSearchParams);
  // While a new filter loads, the current rows stay (dimmed) instead of a skeleton on every keystroke.
  const deferred = { reason: useDeferredValue(params.reason), email: useDeferredValue(params.email), page: useDeferredValue(params.page) };
  const input = suppressionListInput(deferred);
  const { data } = useSuspenseQuery(trpc.suppressions.list.queryOptions(input));
  const filtered = params.reason !== null || params.email !== null;
  const stale = deferred.reason !== params.reason || deferred.email !== params.email || deferred.page !== params.page;
  const clear = () => void setParams({ reason: null, email: null, page: null });

  if (data.total === 0 && !filtered && !(deferred.reason !== null || deferred.email !== null)) {
    return (
      <EmptyState
        title="No suppressed addresses"
        description="Hard bounces, spam complaints and unsubscribes your providers report are added here automatically, and sends to them are blocked before any provider is contacted. You can also add an address yourself."
        action={<AddSuppressionButton />}
      />
    );
  }
  return (
    <>
      <SuppressionFilters filters={params} onChange={(next) => void setParams({ ...next, page: null })} />
      <div aria-busy={stale || undefined} className={cn("transition-opacity", stale && "opacity-60")}>
        {data.total === 0 ? (
          <EmptyState
            variant="no-matches"
            title="No suppressions match these filters"
            description="Try another reason or a shorter part of the address."
            action={
              <Button variant="secondary" size="sm" onClick={clear}>
                Clear filters
              </Button>
            }
          />
        ) : data.items.length === 0 ? (
          <PastLastPage total={data.total} noun="suppressed addresses" onFirstPage={() => void setParams({ page: null })} />
        ) : (
          <>
            <DataTable rows={data.items} columns={canManage ? [...COLUMNS, ACTIONS] : COLUMNS} rowKey={(s) => s.id} caption="Suppressed addresses" />
            <Pagination page={input.page} perPage={input.per_page} total={data.total} onPageChange={(page) => void setParams({ page })} />
          </>
        )}
      </div>
    </>
  );
}
