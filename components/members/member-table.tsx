"use client";
import { useSuspenseQuery } from "@tanstack/react-query";
import { useQueryStates } from "nuqs";
import { useTRPC } from "@/trpc/client";
import { useAccount } from "../account/use-account";
import { DataTable, type Column } from "../common/data-table";
import { Pagination } from "../common/pagination";
import { PastLastPage } from "../common/past-last-page";
import { RelativeTime } from "../common/time";
import { MemberRoleSelect } from "./member-role-select";
import { assignableRoles } from "./permissions";
import { RemoveMember } from "./remove-member";
import { RoleBadge } from "./role-badge";
import { memberListInput, membersSearchParams } from "./search-params";
import type { MemberRow } from "./types";

/** The tenant's users, owners first: a role select and Remove where the signed-in user may change that member. */
export function MemberTable() {
  const trpc = useTRPC();
  const me = useAccount().user;
  const [params, setParams] = useQueryStates(membersSearchParams);
  const input = memberListInput(params);
  const { data } = useSuspenseQuery(trpc.members.list.queryOptions(input));

  const columns: Column<MemberRow>[] = [
    {
      header: "Member",
      className: "max-w-[11rem] break-all sm:max-w-none sm:break-normal",
      cell: (m) => (
        <div className="min-w-0">
          <p className="font-medium text-slate-900">
            {m.name}
            {m.id === me?.id && <span className="ml-1.5 text-xs font-normal text-slate-500">(you)</span>}
          </p>
          <p className="text-xs text-slate-500">{m.email}</p>
        </div>
      ),
    },
    {
      header: "Role",
      cell: (m) => {
        const roles = assignableRoles(me, m);
        return roles ? <MemberRoleSelect member={m} roles={roles} /> : <RoleBadge role={m.role} />;
      },
    },
    { header: "Joined", className: "hidden sm:table-cell", cell: (m) => <RelativeTime value={m.created_at} /> },
    { header: <span className="sr-only">Actions</span>, className: "text-right", cell: (m) => (assignableRoles(me, m) ? <RemoveMember member={m} /> : null) },
  ];

  if (data.items.length === 0) return <PastLastPage noun="members" total={data.total} onFirstPage={() => void setParams({ page: null })} />;
  return (
    <>
      <DataTable caption="Members" rows={data.items} rowKey={(m) => m.id} columns={columns} />
      {data.total > input.per_page && (
        <Pagination page={input.page} perPage={input.per_page} total={data.total} onPageChange={(page) => void setParams({ page: page === 1 ? null : page })} />
      )}
    </>
  );
}
