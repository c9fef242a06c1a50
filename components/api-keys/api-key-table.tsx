"use client";
import { useSuspenseQuery } from "@tanstack/react-query";
import { useQueryStates } from "nuqs";
import { useTRPC } from "@/trpc/client";
import { useCanManage } from "../account/use-account";
import { DataTable, type Column } from "../common/data-table";
import { EmptyState } from "../common/empty-state";
import { Pagination } from "../common/pagination";
import { PastLastPage } from "../common/past-last-page";
import { RelativeTime } from "../common/time";
import { Badge } from "../ui/badge";
import { Button } from "../ui/button";
import { ApiKeyActions } from "./api-key-actions";
import { ModeBadge } from "./mode-badge";
import { apiKeyListInput, apiKeySearchParams } from "./search-params";
import type { ApiKeyRow } from "./types";

const COLUMNS: Column<ApiKeyRow>[] = [
  { header: "Name", cell: (k) => <span className="font-medium text-slate-900">{k.name}</span> },
  { header: "Mode", cell: (k) => <ModeBadge mode={k.mode} /> },
  { header: "Key", cell: (k) => <code className="font-mono text-xs text-slate-600">{k.prefix}…</code> },
  { header: "Created", cell: (k) => <RelativeTime value={k.created_at} /> },
  { header: "Last used", cell: (k) => (k.last_used_at ? <RelativeTime value={k.last_used_at} /> : <span className="text-slate-400">Never</span>) },
  {
    header: "Status",
    cell: (k) =>
      k.revoked_at ? (
        <span className="inline-flex items-center gap-1.5">
          <Badge tone="red">Revoked</Badge>
          <RelativeTime value={k.revoked_at} />
        </span>
      ) : (
        <Badge tone="green">Active</Badge>
      ),
  },
];

const ACTIONS: Column<ApiKeyRow> = { header: <span className="sr-only">Actions</span>, cell: (k) => <ApiKeyActions apiKey={k} /> };

/** The tenant's keys (prefix only), newest first, a page at a time (?page= in the URL). */
export function ApiKeyTable({ onCreate }: { onCreate: () => void }) {
  const trpc = useTRPC();
  const canManage = useCanManage();
  const [params, setParams] = useQueryStates(apiKeySearchParams);
  const input = apiKeyListInput(params);
  const { data } = useSuspenseQuery(trpc.apiKeys.list.queryOptions(input));

  if (data.total === 0) {
    return (
      <EmptyState
        title="No API keys yet"
        description="An API key lets your application send email through the REST API. Start with a test key to try the sandbox."
        action={canManage ? <Button onClick={onCreate}>Create an API key</Button> : undefined}
      />
    );
  }
  if (data.items.length === 0) return <PastLastPage total={data.total} noun="keys" onFirstPage={() => void setParams({ page: null })} />;
  return (
    <>
      <DataTable caption="API keys" rows={data.items} rowKey={(k) => k.id} columns={canManage ? [...COLUMNS, ACTIONS] : COLUMNS} />
      <Pagination page={input.page} perPage={input.per_page} total={data.total} onPageChange={(page) => void setParams({ page: page === 1 ? null : page })} />
    </>
  );
}
