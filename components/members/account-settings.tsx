"use client";
import Link from "next/link";
import type { ReactNode } from "react";
import { useAccount } from "../account/use-account";
import { CopyButton } from "../common/copy-button";
import { PageHeader } from "../common/page-header";
import { formatDateTime } from "../common/time";
import { buttonClasses } from "../ui/button";
import { Card, CardBody, CardHeader } from "../ui/card";
import { RoleBadge, ROLE_HELP } from "./role-badge";
import { SendingDefaults } from "./sending-defaults";

function Detail({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="space-y-1 py-3">
      <dt className="text-xs font-medium text-slate-500">{label}</dt>
      <dd className="min-w-0 text-sm break-words text-slate-900">{children}</dd>
    </div>
  );
}

/** The account and the signed-in user (both already loaded by the dashboard layout), with the way to the members. */
export function AccountSettings() {
  const { account, user } = useAccount();
  return (
    <>
      <PageHeader title="Settings" description="Your account, your sign-in, and the people who share the account." />
      <div className="grid gap-6 lg:grid-cols-2">
        <Card>
          <CardHeader title="Account" />
          <CardBody className="py-1">
            <dl className="divide-y divide-slate-100">
              <Detail label="Name">{account.name}</Detail>
              <Detail label="Account id">
                <span className="flex items-center gap-2">
                  <code className="min-w-0 font-mono text-xs break-all text-slate-700">{account.id}</code>
                  <CopyButton value={account.id} label="Copy account id" />
                </span>
              </Detail>
              <Detail label="Created">{formatDateTime(account.created_at)}</Detail>
            </dl>
          </CardBody>
        </Card>
        {user && (
          <Card>
            <CardHeader title="You" />
            <CardBody className="py-1">
              <dl className="divide-y divide-slate-100">
                <Detail label="Name">{user.name}</Detail>
                <Detail label="Email">{user.email}</Detail>
                <Detail label="Role">
                  <span className="flex flex-wrap items-center gap-2">
                    <RoleBadge role={user.role} />
                    <span className="text-slate-500">{ROLE_HELP[user.role]}</span>
                  </span>
                </Detail>
              </dl>
            </CardBody>
          </Card>
        )}
        <SendingDefaults />
        <Card className="lg:col-span-2">
          <CardHeader
            title="Members"
            description="Invite people by link, give them a role (owner, admin or member), change it or remove them."
            actions={
              <Link href="/settings/members" className={buttonClasses("secondary", "sm")}>
                Manage members
              </Link>
            }
          />
          <CardBody className="flex flex-wrap gap-x-6 gap-y-2 text-sm">
            <Link href="/api-keys" className="font-medium text-indigo-600 hover:text-indigo-500">
              API keys →
            </Link>
            <Link href="/providers" className="font-medium text-indigo-600 hover:text-indigo-500">
              Provider connections →
            </Link>
            <Link href="/webhooks" className="font-medium text-indigo-600 hover:text-indigo-500">
              Webhooks →
            </Link>
          </CardBody>
        </Card>
      </div>
    </>
  );
}
