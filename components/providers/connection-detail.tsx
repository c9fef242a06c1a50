"use client";
import { useSuspenseQuery } from "@tanstack/react-query";
import { useState, type ReactNode } from "react";
import { useTRPC } from "@/trpc/client";
import { useCanManage } from "../account/use-account";
import { PageHeader } from "../common/page-header";
import { RelativeTime } from "../common/time";
import { Badge } from "../ui/badge";
import { Button } from "../ui/button";
import { Card, CardBody, CardHeader } from "../ui/card";
import { ConnectionActions, type VerifyOutcome } from "./connection-actions";
import { HealthBadge, VerificationBadge } from "./connection-badges";
import { ConnectionSettingsForm } from "./connection-settings-form";
import { EventsWebhookCard } from "./events-webhook-card";
import { providerLabel } from "./provider-catalog";
import { ReplaceCredentialsForm } from "./replace-credentials-form";
import type { ConnectionView } from "./types";

function Facts({ items }: { items: [string, ReactNode][] }) {
  return (
    <dl className="grid gap-x-6 gap-y-3 text-sm sm:grid-cols-2">
      {items.map(([term, value]) => (
        <div key={term} className="min-w-0">
          <dt className="text-xs font-medium text-slate-500">{term}</dt>
          <dd className="mt-0.5 break-words text-slate-800">{value}</dd>
        </div>
      ))}
    </dl>
  );
}

function VerifyResult({ outcome }: { outcome: VerifyOutcome }) {
  const ok = outcome.status === "verified";
  return (
    <p role="status" className={ok ? "rounded-md border border-emerald-200 bg-emerald-50 px-3 py-2 text-sm text-emerald-800" : "rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-700"}>
      <strong>{ok ? "Verified" : "Verification failed"}:</strong> {outcome.message ?? (ok ? "the credentials work" : "no answer")}
    </p>
  );
}

function HealthCard({ connection }: { connection: ConnectionView }) {
  const h = connection.health;
  return (
    <Card>
      <CardHeader title="Health" description="The circuit breaker: after repeated transient failures sends skip this connection until a probe succeeds." actions={<HealthBadge health={h} enabled={connection.enabled} />} />
      <CardBody>
        <Facts
          items={[
            ["Last successful send", <RelativeTime key="s" value={h.last_success_at} />],
            ["Failures in a row", <span key="f" className="tabular-nums">{h.consecutive_failures}</span>],
            ["Last failure", <RelativeTime key="l" value={h.last_failure_at} />],
            ["Last error", h.last_failure_reason ?? <span className="text-slate-400">—</span>],
            ...(h.state !== "closed" ? ([["Circuit opened", <RelativeTime key="o" value={h.opened_at} />], ["Next probe", <RelativeTime key="r" value={h.retry_at} />]] as [string, ReactNode][]) : []),
          ]}
        />
      </CardBody>
    </Card>
  );
}

function destination(connection: ConnectionView): [string, ReactNode][] {
  const rows: [string, ReactNode][] = [];
  if (connection.smtp_host) rows.push([connection.provider === "mailgun" ? "Sending domain" : "SMTP host", connection.smtp_host]);
  if (connection.smtp_port) rows.push(["Port", connection.smtp_port]);
  if ("secure" in connection) rows.push(["Encryption", connection.secure ? "TLS (implicit)" : connection.require_tls ? "STARTTLS, required" : "STARTTLS if offered"]);
  if ("tls_reject_unauthorized" in connection && connection.tls_reject_unauthorized === false) rows.push(["Certificates", "Self-signed accepted"]);
  if ("tls_servername" in connection && connection.tls_servername) rows.push(["TLS server name", connection.tls_servername]);
  if ("tls_min_version" in connection && connection.tls_min_version === "TLSv1.3") rows.push(["Minimum TLS version", "TLS 1.3"]);
  if ("connection_timeout_ms" in connection) {
    const timeouts = [["connect", connection.connection_timeout_ms], ["greeting", connection.greeting_timeout_ms], ["socket", connection.socket_timeout_ms]] as const;
    const set = timeouts.filter(([, ms]) => ms !== null).map(([what, ms]) => `${what} ${ms} ms`);
    if (set.length > 0) rows.push(["Timeouts", set.join(", ")]);
  }
  if (connection.region) rows.push(["Region", connection.region]);
  if (connection.endpoint) rows.push(["API endpoint", <code key="e" className="font-mono text-xs">{connection.endpoint}</code>]);
  return rows;
}

function CredentialsCard({ connection }: { connection: ConnectionView }) {
  const canManage = useCanManage();
  const [replacing, setReplacing] = useState(false);
  const v = connection.verification;
  return (
    <Card>
      <CardHeader
        title="Credentials"
        description="Encrypted at rest and never shown: you can only replace them."
        actions={
          canManage && !replacing ? (
            <Button size="sm" variant="secondary" onClick={() => setReplacing(true)}>
              Replace credentials
            </Button>
          ) : undefined
        }
      />
      <CardBody className="space-y-4">
        {replacing ? (
          <ReplaceCredentialsForm connection={connection} onDone={() => setReplacing(false)} />
        ) : (
          <Facts
            items={[
              ["Credentials", connection.credentials_hint ? <span className="flex flex-wrap items-center gap-2"><Badge tone="green">Set</Badge><span className="font-mono text-xs text-slate-500">{connection.credentials_hint}</span></span> : <Badge tone="gray">None</Badge>],
              ["Verification", <span key="v" className="flex flex-wrap items-center gap-2"><VerificationBadge status={v.status} /><span className="text-slate-600">{v.message}</span></span>],
              ["Last verified", <RelativeTime key="t" value={v.verified_at} />],
              ...destination(connection),
            ]}
          />
        )}
      </CardBody>
    </Card>
  );
}

export function ConnectionDetail({ id }: { id: string }) {
  const trpc = useTRPC();
  const { data: connection } = useSuspenseQuery(trpc.providerConnections.get.queryOptions({ id }));
  const canManage = useCanManage();
  const [verified, setVerified] = useState<VerifyOutcome | null>(null);
  return (
    <div className="space-y-6">
      <PageHeader
        title={connection.display_name}
        description={
          <span className="flex flex-wrap items-center gap-2">
            {providerLabel(connection.provider)} · priority {connection.priority} · weight {connection.weight}
            <HealthBadge health={connection.health} enabled={connection.enabled} />
          </span>
        }
        actions={canManage ? <ConnectionActions connection={connection} onVerified={setVerified} /> : undefined}
      />
      {verified && <VerifyResult outcome={verified} />}
      <div className="grid gap-6 lg:grid-cols-2">
        <CredentialsCard connection={connection} />
        <HealthCard connection={connection} />
      </div>
      <EventsWebhookCard connection={connection} />
      {canManage && (
        <Card>
          <CardHeader title="Settings" description="Name, failover order and weight. Nothing is sent to the provider." />
          <CardBody>
            <ConnectionSettingsForm connection={connection} />
          </CardBody>
        </Card>
      )}
    </div>
  );
}
