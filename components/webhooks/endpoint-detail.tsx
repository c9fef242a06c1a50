"use client";
import { useSuspenseQuery } from "@tanstack/react-query";
import Link from "next/link";
import type { ReactNode } from "react";
import { useTRPC } from "@/trpc/client";
import { useCanManage } from "../account/use-account";
import { ReadOnlyNotice } from "../account/read-only-notice";
import { CopyField } from "../common/copy-button";
import { PageHeader } from "../common/page-header";
import { RelativeTime } from "../common/time";
import { Card, CardBody, CardHeader } from "../ui/card";
import { DeliveryLog } from "./delivery-log";
import { EndpointActions } from "./endpoint-actions";
import { EVENT_DESCRIPTIONS, OUTGOING_EVENT_TYPES } from "./event-types";
import { RotateSecret } from "./rotate-secret";
import { EndpointStatusBadge, LastDelivery } from "./status-badges";
import { endpointName } from "./endpoint-name";
import { VerifySignatures } from "./verify-signatures";

function Detail({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="min-w-0">
      <dt className="text-xs font-medium tracking-wide text-slate-500 uppercase">{label}</dt>
      <dd className="mt-1 text-sm text-slate-800">{children}</dd>
    </div>
  );
}

/** One endpoint: what it receives and its state, its secret, its deliveries; changes for owners and admins. */
export function EndpointDetail({ id }: { id: string }) {
  const trpc = useTRPC();
  const canManage = useCanManage();
  const { data: endpoint } = useSuspenseQuery(trpc.webhookEndpoints.get.queryOptions({ id }));
  const events = endpoint.events.length === 0 ? OUTGOING_EVENT_TYPES : endpoint.events;
  return (
    <>
      <nav aria-label="Breadcrumb" className="mb-2 text-sm">
        <Link href="/webhooks" className="text-slate-500 hover:text-slate-800">
          ← Webhooks
        </Link>
      </nav>
      <PageHeader title={<span className="[overflow-wrap:anywhere]">{endpointName(endpoint)}</span>} description={endpoint.description ? undefined : "Webhook endpoint"} actions={canManage ? <EndpointActions endpoint={endpoint} /> : undefined} />
      <ReadOnlyNotice />
      <div className="space-y-6">
        <Card>
          <CardHeader title="Endpoint" />
          <CardBody className="space-y-5">
            <CopyField value={endpoint.url} label="Endpoint URL" />
            {endpoint.disabled_reason && (
              <p role="note" className="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800">
                Disabled by CourierX: {endpoint.disabled_reason}
              </p>
            )}
            <dl className="grid gap-4 sm:grid-cols-2 lg:grid-cols-4">
              <Detail label="Status">
                <EndpointStatusBadge endpoint={endpoint} />
              </Detail>
              <Detail label="Last delivery">
                <LastDelivery endpoint={endpoint} />
              </Detail>
              <Detail label="Created">
                <RelativeTime value={endpoint.created_at} />
              </Detail>
              <Detail label="Updated">
                <RelativeTime value={endpoint.updated_at} />
              </Detail>
            </dl>
            <Detail label={endpoint.events.length === 0 ? "Events (all types)" : "Events"}>
              <ul className="mt-1 flex flex-wrap gap-1.5">
                {events.map((type) => (
                  <li key={type} title={EVENT_DESCRIPTIONS[type as keyof typeof EVENT_DESCRIPTIONS]} className="rounded bg-slate-100 px-2 py-0.5 font-mono text-xs text-slate-700">
                    {type}
                  </li>
                ))}
              </ul>
            </Detail>
          </CardBody>
        </Card>
        <DeliveryLog endpoint={endpoint} />
        {canManage && <RotateSecret endpointId={endpoint.id} />}
        <VerifySignatures />
      </div>
    </>
  );
}
