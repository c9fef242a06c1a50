"use client";
import { useSuspenseQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useTRPC } from "@/trpc/client";
import { useCanManage } from "../account/use-account";
import { ReadOnlyNotice } from "../account/read-only-notice";
import { PageHeader } from "../common/page-header";
import { formatDateTime } from "../common/time";
import { DeleteDomainButton } from "./delete-domain-button";
import { DnsRecordCard } from "./dns-record-card";
import { DomainFindings } from "./domain-findings";
import { DomainStatusBadge, STATUS_MEANING } from "./domain-status-badge";
import { VerifyDomainButton } from "./verify-domain-button";

export function DomainDetail({ id }: { id: string }) {
  const trpc = useTRPC();
  const { data: domain } = useSuspenseQuery(trpc.domains.get.queryOptions({ id }));
  const canManage = useCanManage();
  return (
    <>
      <nav aria-label="Breadcrumb" className="mb-3 text-sm">
        <Link href="/domains" className="text-slate-500 hover:text-slate-800">
          ← Domains
        </Link>
      </nav>
      <PageHeader
        title={
          <span className="flex flex-wrap items-center gap-3">
            <span className="break-all">{domain.domain}</span>
            <DomainStatusBadge status={domain.status} />
          </span>
        }
        description={
          <>
            {STATUS_MEANING[domain.status]}
            {domain.verified_at && ` Verified since ${formatDateTime(domain.verified_at)}.`}
          </>
        }
        actions={
          canManage && (
            <>
              <VerifyDomainButton domain={domain} />
              <DeleteDomainButton domain={domain} />
            </>
          )
        }
      />
      <ReadOnlyNotice />
      <div className="space-y-6">
        <DnsRecordCard domain={domain} />
        <DomainFindings domain={domain} />
      </div>
    </>
  );
}
