"use client";
import { useSuspenseQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useQueryStates } from "nuqs";
import { useTRPC } from "@/trpc/client";
import { DataTable, type Column } from "../common/data-table";
import { EmptyState } from "../common/empty-state";
import { Pagination } from "../common/pagination";
import { PastLastPage } from "../common/past-last-page";
import { RelativeTime } from "../common/time";
import { AddDomainButton } from "./add-domain-button";
import { DomainStatusBadge } from "./domain-status-badge";
import { domainListInput, domainSearchParams } from "./search-params";
import type { DomainView } from "./types";

const COLUMNS: Column<DomainView>[] = [
  {
    header: "Domain",
    cell: (d) => (
      <Link href={`/domains/${d.id}`} className="font-medium text-indigo-700 hover:underline">
        {d.domain}
      </Link>
    ),
  },
  { header: "Status", cell: (d) => <DomainStatusBadge status={d.status} /> },
  { header: "Last checked", cell: (d) => (d.last_checked_at ? <RelativeTime value={d.last_checked_at} /> : <span className="text-slate-400">Never</span>) },
  { header: "Added", cell: (d) => <RelativeTime value={d.created_at} /> },
];

export function DomainTable() {
  const trpc = useTRPC();
  const [{ page }, setParams] = useQueryStates(domainSearchParams);
  const input = domainListInput({ page });
  const { data } = useSuspenseQuery(trpc.domains.list.queryOptions(input));

  if (data.total === 0) {
    return (
      <EmptyState
        title="No domains yet"
        description="Add the domain you send from and publish one TXT record: a verified domain proves to providers and receivers that your mail is yours."
        action={<AddDomainButton />}
      />
    );
  }
  if (data.items.length === 0) return <PastLastPage total={data.total} noun="domains" onFirstPage={() => void setParams({ page: null })} />;
  return (
    <>
      <DataTable rows={data.items} columns={COLUMNS} rowKey={(d) => d.id} caption="Domains" />
      <Pagination page={input.page} perPage={input.per_page} total={data.total} onPageChange={(next) => void setParams({ page: next })} />
    </>
  );
}
