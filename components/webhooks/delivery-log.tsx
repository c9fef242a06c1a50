"use client";
import { useSuspenseQuery } from "@tanstack/react-query";
import { useQueryStates } from "nuqs";
import { Suspense } from "react";
import { useTRPC } from "@/trpc/client";
import { useCanManage } from "../account/use-account";
import { EmptyState } from "../common/empty-state";
import { ErrorBoundary } from "../common/error-boundary";
import { Pagination } from "../common/pagination";
import { Button } from "../ui/button";
import { Card, CardHeader } from "../ui/card";
import { Select } from "../ui/input";
import { TableSkeleton } from "../ui/skeleton";
import { Table, TBody, TH, THead } from "../ui/table";
import { DELIVERY_COLUMNS, DeliveryRow } from "./delivery-row";
import { DELIVERY_STATUSES, deliveryListInput, deliverySearchParams, type DeliveryStatus } from "./search-params";
import type { WebhookEndpoint } from "./types";

function DeliveryTable({ endpoint }: { endpoint: WebhookEndpoint }) {
  const trpc = useTRPC();
  const canManage = useCanManage();
  const [params, setParams] = useQueryStates(deliverySearchParams);
  const input = deliveryListInput(endpoint.id, params);
  const { data } = useSuspenseQuery({
    ...trpc.webhookEndpoints.deliveries.queryOptions(input),
    // While a delivery is on its way, follow it.
    refetchInterval: (query) => (query.state.data?.items.some((d) => d.status === "pending") ? 2000 : false),
  });

  if (data.items.length === 0) {
    if (params.status || input.page > 1) {
      return (
        <EmptyState
          variant="no-matches"
          title={params.status ? `No ${params.status} deliveries` : "No deliveries on this page"}
          description="Nothing matches these filters."
          action={
            <Button variant="secondary" onClick={() => void setParams({ status: null, page: null })}>
              Clear filters
            </Button>
          }
        />
      );
    }
    return (
      <EmptyState
        title="No deliveries yet"
        description={canManage ? "Events of your emails show up here as they are sent. Send a test event to see your endpoint's answer now." : "Events of your emails show up here as they are sent."}
      />
    );
  }
  return (
    <>
      <Table>
        <caption className="sr-only">Deliveries</caption>
        <THead>
          <tr>
            {DELIVERY_COLUMNS.map((column) => (
              <TH key={column}>{column === "Actions" ? <span className="sr-only">{column}</span> : column}</TH>
            ))}
          </tr>
        </THead>
        <TBody>
          {data.items.map((delivery) => (
            <DeliveryRow key={delivery.id} delivery={delivery} canManage={canManage} endpointActive={endpoint.active} />
          ))}
        </TBody>
      </Table>
      <Pagination page={input.page} perPage={input.per_page} total={data.total} onPageChange={(page) => void setParams({ page: page === 1 ? null : page })} />
    </>
  );
}

function StatusFilter() {
  const [params, setParams] = useQueryStates(deliverySearchParams);
  return (
    <label className="flex items-center gap-2 text-sm text-slate-600">
      Status
      <Select
        className="h-8 w-36"
        value={params.status ?? ""}
        onChange={(event) => void setParams({ status: (event.target.value || null) as DeliveryStatus | null, page: null })}
      >
        <option value="">All</option>
        {DELIVERY_STATUSES.map((status) => (
          <option key={status} value={status}>
            {status}
          </option>
        ))}
      </Select>
    </label>
  );
}

/** The endpoint's delivery log, newest first, filtered by ?status= and paged by ?page=. */
export function DeliveryLog({ endpoint }: { endpoint: WebhookEndpoint }) {
  return (
    <Card>
      <CardHeader title="Deliveries" description="Every event sent to this endpoint, with each attempt and your endpoint's answer." actions={<StatusFilter />} />
      <ErrorBoundary title="The deliveries could not be loaded">
        <Suspense fallback={<TableSkeleton columns={6} label="Loading deliveries…" />}>
          <DeliveryTable endpoint={endpoint} />
        </Suspense>
      </ErrorBoundary>
    </Card>
  );
}
