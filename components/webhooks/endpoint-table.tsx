"use client";
import { useSuspenseQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useQueryStates } from "nuqs";
import { useTRPC } from "@/trpc/client";
import { useCanManage } from "../account/use-account";
import { DataTable, type Column } from "../common/data-table";
import { EmptyState } from "../common/empty-state";
import { Pagination } from "../common/pagination";
import { PastLastPage } from "../common/past-last-page";
import { RelativeTime } from "../common/time";
import { Button } from "../ui/button";
import { eventSummary } from "./event-types";
import { endpointListInput, endpointSearchParams } from "./search-params";
import { EndpointStatusBadge, LastDelivery } from "./status-badges";
import type { WebhookEndpoint } from "./types";

const COLUMNS: Column<WebhookEndpoint>[] = [
  {
    header: "Endpoint",
    cell: (e) => (
      <Link href={`/webhooks/${e.id}`} className="group block max-w-xs">
        <span className="block truncate font-mono text-sm text-indigo-700 group-hover:underline">{e.url}</span>
        {e.description && <span className="block truncate text-xs text-slate-500">{e.description}</span>}
      </Link>
    ),
  },
  { header: "Events", cell: (e) => <span title={e.events.join(", ") || "All events"}>{eventSummary(e.events)}</span> },
  {
    header: "Status",
    cell: (e) => (
      <span className="flex max-w-xs flex-col items-start gap-0.5">
        <EndpointStatusBadge endpoint={e} />
        {e.disabled_reason && <span className="text-xs whitespace-normal text-red-700">{e.disabled_reason}</span>}
      </span>
    ),
  },
  { header: "Last delivery", cell: (e) => <LastDelivery endpoint={e} /> },
  { header: "Created", cell: (e) => <RelativeTime value={e.created_at} /> },
];

/** The tenant's endpoints, newest first, a page at a time (?page=). */
export function EndpointTable({ onCreate }: { onCreate: () => void }) {
  const trpc = useTRPC();
  const canManage = useCanManage();
  const [params, setParams] = useQueryStates(endpointSearchParams);
  const input = endpointListInput(params);
  const { data } = useSuspenseQuery(trpc.webhookEndpoints.list.queryOptions(input));

  if (data.total === 0) {
    return (
      <EmptyState
        title="No webhook endpoints yet"
        description="Add an endpoint to get delivered, bounced, opened and other events posted to your app as they happen."
        action={canManage ? <Button onClick={onCreate}>Add an endpoint</Button> : undefined}
      />
    );
  }
  if (data.items.length === 0) return <PastLastPage total={data.total} noun="endpoints" onFirstPage={() => void setParams({ page: null })} />;
  return (
    <>
      <DataTable caption="Webhook endpoints" rows={data.items} rowKey={(e) => e.id} columns={COLUMNS} />
      <Pagination page={input.page} perPage={input.per_page} total={data.total} onPageChange={(page) => void setParams({ page: page === 1 ? null : page })} />
    </>
  );
}
