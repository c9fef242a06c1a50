"use client";
import Link from "next/link";
import { EmptyState } from "../common/empty-state";
import { RelativeTime } from "../common/time";
import { Badge, type BadgeTone } from "../ui/badge";
import { buttonClasses } from "../ui/button";
import { Card, CardHeader } from "../ui/card";
import { providerLabel } from "./overview-labels";
import { useConnections, type ConnectionRow } from "./use-overview";

const CIRCUIT: Record<string, { tone: BadgeTone; label: string; meaning: string }> = {
  closed: { tone: "green", label: "Circuit closed", meaning: "Sending normally." },
  open: { tone: "red", label: "Circuit open", meaning: "Skipped after repeated transient failures until a probe succeeds." },
  half_open: { tone: "amber", label: "Circuit half-open", meaning: "One send is probing whether it recovered." },
};

/** `checkedAt`: when the list was loaded (ms), so a cool-down already over reads as such. */
function ConnectionHealth({ connection, checkedAt }: { connection: ConnectionRow; checkedAt: number }) {
  const { health } = connection;
  const circuit = CIRCUIT[health.state] ?? { tone: "gray" as const, label: health.state, meaning: "" };
  return (
    <li className="space-y-1.5 px-4 py-3 sm:px-5">
      <div className="flex flex-wrap items-center gap-x-2 gap-y-1">
        <span className="min-w-0 font-medium break-words text-slate-900">{connection.display_name}</span>
        <span className="text-xs text-slate-500">{providerLabel(connection.provider, false)}</span>
        <span className="ml-auto flex flex-wrap gap-1.5">
          <Badge tone={connection.enabled ? "blue" : "gray"}>{connection.enabled ? "Enabled" : "Disabled"}</Badge>
          <Badge tone={circuit.tone}>{circuit.label}</Badge>
        </span>
      </div>
      <p className="text-xs text-slate-500">
        {circuit.meaning}
        {health.state === "open" && health.retry_at && (
          <>
            {" "}
            {Date.parse(health.retry_at) > checkedAt ? (
              <>
                Next probe <RelativeTime value={health.retry_at} />.
              </>
            ) : (
              "The cool-down is over: the next live send probes it."
            )}
          </>
        )}
        {health.consecutive_failures > 0 && ` ${health.consecutive_failures} transient failure${health.consecutive_failures === 1 ? "" : "s"} in a row.`}
      </p>
      {health.last_failure_reason ? (
        <p className="text-xs break-words text-slate-700">
          <span className="font-medium text-red-700">Last error</span> <RelativeTime value={health.last_failure_at} />: {health.last_failure_reason}
        </p>
      ) : (
        <p className="text-xs text-slate-500">No errors recorded.</p>
      )}
    </li>
  );
}

/** No connection yet: the next step, for every card about providers. */
export function NoProviderState() {
  return (
    <EmptyState
      title="No provider connected"
      description="Connect a provider to send live email; a second one gives you failover."
      action={
        <Link href="/providers" className={buttonClasses("secondary", "sm")}>
          Connect a provider
        </Link>
      }
    />
  );
}

/** Each connection: enabled or not, its circuit (closed, open, half-open) and its last error with when. */
export function ProviderHealthCard() {
  const { items: connections, checkedAt } = useConnections();
  return (
    <Card>
      <CardHeader
        title="Provider health"
        description="Live sends only: test mode never touches a circuit."
        actions={
          connections.length > 0 && (
            <Link href="/providers" className={buttonClasses("ghost", "sm")}>
              Manage providers
            </Link>
          )
        }
      />
      {connections.length === 0 ? (
        <NoProviderState />
      ) : (
        <ul aria-label="Provider connections" className="divide-y divide-slate-100">
          {connections.map((connection) => (
            <ConnectionHealth key={connection.id} connection={connection} checkedAt={checkedAt} />
          ))}
        </ul>
      )}
    </Card>
  );
}
