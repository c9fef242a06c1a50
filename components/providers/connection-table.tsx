"use client";
import { useSuspenseQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useQueryStates } from "nuqs";
import { useTRPC } from "@/trpc/client";
import { useCanManage } from "../account/use-account";
import { DataTable, type Column } from "../common/data-table";
import { EmptyState } from "../common/empty-state";
import { Pagination } from "../common/pagination";
import { RelativeTime } from "../common/time";
import { buttonClasses } from "../ui/button";
import { HealthBadge, VerificationBadge } from "./connection-badges";
import { providerLabel } from "./provider-catalog";
import { providerListInput, providerListParams } from "./search-params";
import type { ConnectionView } from "./types";

const COLUMNS: Column<ConnectionView>[] = [
  {
    header: "Connection",
    cell: (c) => (
      <div className="min-w-40">
        <Link href={`/providers/${c.id}`} className="font-medium text-indigo-700 hover:underline">
          {c.display_name}
        </Link>
        <p className="text-xs text-slate-500">{providerLabel(c.provider)}</p>
      </div>
    ),
  },
  { header: "Priority", cell: (c) => <span className="tabular-nums">{c.priority}</span>, className: "text-right" },
  { header: "Weight", cell: (c) => <span className="tabular-nums">{c.weight}</span>, className: "text-right" },
  {
    header: "Health",
    cell: (c) => (
      <div className="max-w-72 space-y-1">
        <HealthBadge health={c.health} enabled={c.enabled} />
        {c.health.last_failure_reason && (
          <p className="truncate text-xs text-slate-500" title={c.health.last_failure_reason}>
            Last error: {c.health.last_failure_reason}
          </p>
        )}
      </div>
    ),
  },
  { header: "Credentials", cell: (c) => <VerificationBadge status={c.verification.status} /> },
  { header: "Last used", cell: (c) => <RelativeTime value={c.health.last_success_at} /> },
  { header: "Last verified", cell: (c) => <RelativeTime value={c.verification.verified_at} /> },
];

export function ConnectProviderLink() {
  if (!useCanManage()) return null;
  return (
    <Link href="/providers/new" className={buttonClasses()}>
      Connect a provider
    </Link>
  );
}

/** The tenant's connections (inside the page's card) in the order failover tries them (priority, then age). */
export function ConnectionTable() {
  const trpc = useTRPC();
  const [{ page }, setParams] = useQueryStates(providerListParams);
  const input = providerListInput({ page });
  const { data } = useSuspenseQuery(trpc.providerConnections.list.queryOptions(input));
  const canManage = useCanManage();

  if (data.total === 0) {
    return (
      <EmptyState
        title="No providers connected yet"
        description="Connect SendGrid, Amazon SES, Mailgun, Postmark, Resend or any SMTP relay with your own credentials. Add a second one and a failing provider's mail goes through the next."
        action={canManage ? <ConnectProviderLink /> : undefined}
      />
    );
  }
  return (
    <>
      <DataTable rows={data.items} columns={COLUMNS} rowKey={(c) => c.id} caption="Provider connections, in the order sends try them" />
      <Pagination page={input.page} perPage={input.per_page} total={data.total} onPageChange={(next) => void setParams({ page: next })} />
    </>
  );
}
