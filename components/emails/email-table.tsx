"use client";
import { useSuspenseQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useQueryStates } from "nuqs";
import { useDeferredValue } from "react";
import { useTRPC } from "@/trpc/client";
import { EmptyState } from "../common/empty-state";
import { Pagination } from "../common/pagination";
import { RelativeTime } from "../common/time";
import { Badge } from "../ui/badge";
import { buttonClasses, Button } from "../ui/button";
import { cn } from "../ui/cn";
import { Select } from "../ui/input";
import { Table, TBody, TD, TH, THead, TR } from "../ui/table";
import { emailProviderLabel } from "./provider-label";
import { CLEARED_FILTERS, emailListInput, emailSearchParams, isFiltered, PER_PAGE_OPTIONS } from "./search-params";
import { StatusBadge } from "./status-badge";
import type { EmailRow } from "./types";

/** The list refreshes itself while it is open: new sends and status changes show without a reload. */
export const LIST_REFRESH_MS = 10_000;

export function EmailTable() {
  const trpc = useTRPC();
  const [search, setSearch] = useQueryStates(emailSearchParams);
  const input = emailListInput(search);
  // A new filter keeps the current rows on screen (dimmed) until its page has loaded, instead of a skeleton.
  const key = JSON.stringify(input);
  const shownKey = useDeferredValue(key);
  const shown = JSON.parse(shownKey) as typeof input;
  const { data } = useSuspenseQuery({ ...trpc.emails.list.queryOptions(shown), refetchInterval: LIST_REFRESH_MS });
  const stale = shownKey !== key;

  if (data.total === 0 && !isFiltered(shown)) return <NoEmailsYet />;
  if (data.items.length === 0 && data.total > 0) {
    return (
      <EmptyState
        variant="no-matches"
        title="No emails on this page"
        description={`${data.total.toLocaleString()} ${data.total === 1 ? "email matches" : "emails match"}; this page is past the last one.`}
        action={
          <Button variant="secondary" size="sm" onClick={() => void setSearch({ page: null })}>
            Go to the first page
          </Button>
        }
      />
    );
  }
  if (data.items.length === 0) {
    return (
      <EmptyState
        variant="no-matches"
        title="No emails match these filters"
        description="Try another status, recipient, date range or mode."
        action={
          <Button variant="secondary" size="sm" onClick={() => void setSearch(CLEARED_FILTERS)}>
            Clear filters
          </Button>
        }
      />
    );
  }
  return (
    <div aria-busy={stale || undefined} className={cn("transition-opacity", stale && "opacity-60")}>
      <Table>
        <caption className="sr-only">Emails, newest first</caption>
        <THead>
          <tr>
            <TH>To</TH>
            <TH>Subject</TH>
            <TH>Status</TH>
            <TH>Provider</TH>
            <TH>Created</TH>
          </tr>
        </THead>
        <TBody>
          {data.items.map((email) => (
            <EmailTableRow key={email.id} email={email} />
          ))}
        </TBody>
      </Table>
      <div className="flex flex-wrap items-center justify-between gap-x-4 border-t border-slate-100 sm:flex-nowrap [&>nav]:flex-1 [&>nav]:border-0">
        <Pagination page={data.page} perPage={data.per_page} total={data.total} onPageChange={(page) => void setSearch({ page })} />
        <label className="flex items-center gap-2 px-4 pb-3 text-sm text-slate-600 sm:pb-0">
          Rows per page
          <Select className="h-8 w-24" value={data.per_page} onChange={(e) => void setSearch({ per_page: Number(e.target.value), page: null })}>
            {PER_PAGE_OPTIONS.map((n) => (
              <option key={n} value={n}>
                {n}
              </option>
            ))}
          </Select>
        </label>
      </div>
    </div>
  );
}

/** A row opens the email: the recipient is the link (keyboard reachable), and it covers the whole row for a pointer. */
function EmailTableRow({ email }: { email: EmailRow }) {
  return (
    <TR className="relative cursor-pointer">
      <TD className="max-w-72">
        <Link
          href={`/emails/${email.id}`}
          className="block truncate font-medium text-indigo-700 after:absolute after:inset-0 hover:underline focus-visible:outline-none focus-visible:after:outline-2 focus-visible:after:-outline-offset-2 focus-visible:after:outline-indigo-600"
          title={email.to_email}
        >
          {email.to_email}
        </Link>
      </TD>
      <TD className="max-w-80">
        <span className="block truncate" title={email.subject}>
          {email.subject}
        </span>
      </TD>
      <TD>
        <span className="flex items-center gap-1.5">
          <StatusBadge status={email.status} />
          {email.test && <Badge>test</Badge>}
        </span>
      </TD>
      <TD>{emailProviderLabel(email) ?? <span className="text-slate-400">—</span>}</TD>
      <TD>
        <RelativeTime value={email.created_at} />
      </TD>
    </TR>
  );
}

function NoEmailsYet() {
  return (
    <EmptyState
      title="No emails yet"
      description="Emails you send through the API show up here, with every attempt and provider event. Send one from the dashboard, or create an API key and send with POST /api/v1/emails."
      action={
        <>
          <Link href="/send" className={buttonClasses("primary", "sm")}>
            Send a test email
          </Link>
          <Link href="/api-keys" className={buttonClasses("secondary", "sm")}>
            Create an API key
          </Link>
          <Link href="/#quickstart" className={buttonClasses("ghost", "sm")}>
            Read the quickstart
          </Link>
        </>
      }
    />
  );
}
