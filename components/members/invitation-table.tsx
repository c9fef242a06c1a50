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
import { Button } from "../ui/button";
import { InvitationActions } from "./invitation-actions";
import { InvitationStatusBadge, RoleBadge } from "./role-badge";
import { invitationListInput, membersSearchParams } from "./search-params";
import type { InvitationRow } from "./types";

const LINK_STATE: Record<InvitationRow["status"], string> = { pending: "Expires", expired: "Expired", accepted: "Used" };

const COLUMNS: Column<InvitationRow>[] = [
  // Long addresses wrap on a phone, so the status beside them stays in view.
  { header: "Email", className: "max-w-[11rem] break-all sm:max-w-none sm:break-normal", cell: (i) => <span className="font-medium text-slate-900">{i.email}</span> },
  { header: "Role", className: "hidden sm:table-cell", cell: (i) => <RoleBadge role={i.role} /> },
  { header: "Status", cell: (i) => <InvitationStatusBadge status={i.status} /> },
  {
    header: "Link",
    className: "hidden md:table-cell",
    cell: (i) => (
      <span className={i.status === "pending" ? undefined : "text-slate-500"}>
        {LINK_STATE[i.status]} <RelativeTime value={i.status === "accepted" ? i.accepted_at : i.expires_at} />
      </span>
    ),
  },
  { header: "Invited by", className: "hidden lg:table-cell", cell: (i) => i.invited_by?.name ?? <span className="text-slate-400">Removed member</span> },
];

const ACTIONS: Column<InvitationRow> = {
  header: <span className="sr-only">Actions</span>,
  className: "text-right",
  cell: (i) => (i.status === "accepted" ? null : <InvitationActions invitation={i} />),
};

/** Invitations, newest first: pending, expired (a new link revives one) and accepted. */
export function InvitationTable({ onInvite }: { onInvite: () => void }) {
  const trpc = useTRPC();
  const canManage = useCanManage();
  const [params, setParams] = useQueryStates(membersSearchParams);
  const input = invitationListInput(params);
  const { data } = useSuspenseQuery(trpc.members.invitations.queryOptions(input));

  if (data.total === 0) {
    return (
      <EmptyState
        title="No invitations yet"
        description="Invite a teammate by email: you get a link to send them, which works once for 7 days."
        action={canManage ? <Button onClick={onInvite}>Invite a member</Button> : undefined}
      />
    );
  }
  if (data.items.length === 0) return <PastLastPage noun="invitations" total={data.total} onFirstPage={() => void setParams({ invitations_page: null })} />;
  return (
    <>
      <DataTable caption="Invitations" rows={data.items} rowKey={(i) => i.id} columns={canManage ? [...COLUMNS, ACTIONS] : COLUMNS} />
      {data.total > input.per_page && (
        <Pagination
          page={input.page}
          perPage={input.per_page}
          total={data.total}
          onPageChange={(page) => void setParams({ invitations_page: page === 1 ? null : page })}
        />
      )}
    </>
  );
}
