"use client";
import Link from "next/link";
import { Suspense, useState } from "react";
import { ReadOnlyNotice } from "../account/read-only-notice";
import { useCanManage } from "../account/use-account";
import { ErrorBoundary } from "../common/error-boundary";
import { PageHeader } from "../common/page-header";
import { Button } from "../ui/button";
import { Card, CardHeader } from "../ui/card";
import { TableSkeleton } from "../ui/skeleton";
import { InvitationTable } from "./invitation-table";
import { InviteMemberDialog } from "./invite-member-dialog";
import { LeaveAccount } from "./leave-account";
import { MemberTable } from "./member-table";

/** The members page: who is in the account with which role, the invitations, and leaving. */
export function MembersView() {
  const canManage = useCanManage();
  const [inviting, setInviting] = useState(false);
  return (
    <>
      <nav aria-label="Breadcrumb" className="mb-2 text-sm text-slate-500">
        <Link href="/settings" className="hover:text-slate-800">
          Settings
        </Link>{" "}
        / Members
      </nav>
      <PageHeader
        title="Members"
        description="Who shares this account. Owners and admins invite people and change roles; members can look at everything but change nothing."
        actions={canManage ? <Button onClick={() => setInviting(true)}>Invite a member</Button> : undefined}
      />
      <ReadOnlyNotice />
      <div className="space-y-6">
        <Card>
          <CardHeader title="People" />
          <ErrorBoundary title="The members could not be loaded">
            <Suspense fallback={<TableSkeleton columns={4} label="Loading members…" />}>
              <MemberTable />
            </Suspense>
          </ErrorBoundary>
        </Card>
        <Card>
          <CardHeader title="Invitations" description="A link works once, for 7 days. Revoke one, or make a new link (the old one stops working)." />
          <ErrorBoundary title="The invitations could not be loaded">
            <Suspense fallback={<TableSkeleton columns={5} label="Loading invitations…" />}>
              <InvitationTable onInvite={() => setInviting(true)} />
            </Suspense>
          </ErrorBoundary>
        </Card>
        <Card>
          <LeaveAccount />
        </Card>
      </div>
      {canManage && <InviteMemberDialog open={inviting} onClose={() => setInviting(false)} />}
    </>
  );
}
