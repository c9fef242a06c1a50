"use client";
import Link from "next/link";
import { DataTable, type Column } from "../common/data-table";
import { EmptyState } from "../common/empty-state";
import { RelativeTime } from "../common/time";
import { StatusBadge } from "../emails/status-badge";
import { buttonClasses } from "../ui/button";
import { Card, CardHeader } from "../ui/card";
import type { OverviewSearch } from "./search-params";
import { useRecentFailures, type EmailRow } from "./use-overview";

const COLUMNS: Column<EmailRow>[] = [
  {
    header: "Email",
    cell: (email) => (
      <Link href={`/emails/${email.id}`} className="block max-w-72 font-medium text-indigo-700 hover:underline">
        <span className="block truncate">{email.to_email}</span>
        <span className="block truncate text-xs font-normal text-slate-500">{email.subject}</span>
      </Link>
    ),
  },
  { header: "Status", cell: (email) => <StatusBadge status={email.status} /> },
  { header: "Reason", cell: (email) => <span className="line-clamp-2 block max-w-md text-xs whitespace-normal text-slate-600">{email.last_error ?? "—"}</span> },
  { header: "When", cell: (email) => <RelativeTime value={email.failed_at ?? email.bounced_at ?? email.created_at} /> },
];

/** The newest failed and bounced emails of the mode shown, each linking to its timeline. */
export function RecentFailuresCard({ search }: { search: OverviewSearch }) {
  const failures = useRecentFailures(search);
  const test = search.mode === "test" ? "true" : "false";
  return (
    <Card>
      <CardHeader
        title="Recent failures"
        description="The newest failed or bounced emails, with the reason."
        actions={
          <>
            <Link href={`/emails?status=failed&test=${test}`} className={buttonClasses("ghost", "sm")}>
              All failed
            </Link>
            <Link href={`/emails?status=bounced&test=${test}`} className={buttonClasses("ghost", "sm")}>
              All bounced
            </Link>
          </>
        }
      />
      {failures.length === 0 ? (
        <EmptyState title="No failures" description={`No ${search.mode} email has failed or bounced.`} />
      ) : (
        <DataTable rows={failures} columns={COLUMNS} rowKey={(email) => email.id} caption="Recent failed and bounced emails" />
      )}
    </Card>
  );
}
