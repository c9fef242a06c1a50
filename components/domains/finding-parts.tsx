import type { ReactNode } from "react";
import { CopyButton } from "../common/copy-button";
import { Badge, type BadgeTone } from "../ui/badge";
import type { SuggestedRecord } from "./suggested-records";

export type LookupResult = "found" | "missing" | "mismatch" | "multiple" | "dns_error";

const RESULT: Record<LookupResult, { tone: BadgeTone; label: string }> = {
  found: { tone: "green", label: "Found" },
  missing: { tone: "red", label: "Missing" },
  mismatch: { tone: "red", label: "Wrong value" },
  multiple: { tone: "red", label: "Multiple records" },
  dns_error: { tone: "amber", label: "Lookup failed" },
};

export function ResultBadge({ result }: { result: LookupResult }) {
  const { tone, label } = RESULT[result];
  return <Badge tone={tone}>{label}</Badge>;
}

/** A per-provider check: true found, false missing, null could not be known (said why in the message). */
export function CheckBadge({ found, yes = "Found" }: { found: boolean | null; yes?: string }) {
  if (found === true) return <Badge tone="green">{yes}</Badge>;
  if (found === false) return <Badge tone="red">Missing</Badge>;
  return <Badge tone="gray">Unknown</Badge>;
}

/** One check (SPF, DMARC, DKIM) of the findings card: title, where it was looked up, its result. */
export function FindingSection({ title, host, badge, children }: { title: string; host?: string | null; badge?: ReactNode; children: ReactNode }) {
  const headingId = `finding-${title.toLowerCase().replace(/[^a-z0-9]+/g, "-")}`;
  return (
    <section aria-labelledby={headingId} className="space-y-3 px-4 py-4 sm:px-5">
      <div className="flex flex-wrap items-center gap-x-3 gap-y-1">
        <h3 id={headingId} className="text-sm font-semibold text-slate-900">
          {title}
        </h3>
        {badge}
        {host && <code className="min-w-0 break-all font-mono text-xs text-slate-500">{host}</code>}
      </div>
      {children}
    </section>
  );
}

/** A record as DNS returned it (already bounded and escaped by the service). */
export function RecordValue({ label, value }: { label: string; value: string }) {
  return (
    <div className="space-y-1">
      <p className="text-xs font-medium text-slate-500">{label}</p>
      <code className="block rounded-md border border-slate-200 bg-slate-50 px-2.5 py-1.5 font-mono text-xs break-all whitespace-pre-wrap text-slate-800">{value}</code>
    </div>
  );
}

/** A record the user should publish: its type, host and value, each with a copy button. */
export function SuggestedRecordBox({ record }: { record: SuggestedRecord }) {
  return (
    <div role="group" aria-label={record.label} className="space-y-2 rounded-md border border-indigo-100 bg-indigo-50/40 p-3">
      <p className="text-sm text-slate-700">
        <span className="font-medium text-slate-900">Add: </span>
        {record.why}
      </p>
      <RecordRows record={record} />
    </div>
  );
}

/**
 * A DNS record as an owner types it into their DNS provider: type, host and value, each with a copy button
 * ("Copy type", "Copy host", "Copy value"; the group or card around it says which record).
 */
export function RecordRows({ record, hostHelp }: { record: { type: string; host: string; value: string }; hostHelp?: string }) {
  return (
    <dl className="grid gap-3 sm:grid-cols-[5rem_1fr] sm:items-start">
      <dt className="text-sm font-medium text-slate-600 sm:pt-1.5">Type</dt>
      <dd className="min-w-0">
        <RecordField value={record.type} label="Type" />
      </dd>
      <dt className="text-sm font-medium text-slate-600 sm:pt-1.5">Host</dt>
      <dd className="min-w-0 space-y-1">
        <RecordField value={record.host} label="Host" />
        {hostHelp && <p className="text-xs text-slate-500">{hostHelp}</p>}
      </dd>
      <dt className="text-sm font-medium text-slate-600 sm:pt-1.5">Value</dt>
      <dd className="min-w-0">
        <RecordField value={record.value} label="Value" />
      </dd>
    </dl>
  );
}

/**
 * A value to paste into a DNS panel, wrapped rather than cut (a token or an SPF record must be readable
 * whole on a phone), with a copy button named after it ("Copy host"; the group around it says whose).
 */
export function RecordField({ value, label }: { value: string; label: string }) {
  return (
    <div className="flex min-w-0 items-start gap-2">
      <code aria-label={label} className="block min-w-0 flex-1 rounded-md border border-slate-200 bg-white px-2.5 py-1.5 font-mono text-xs break-all text-slate-800 select-all">
        {value}
      </code>
      <CopyButton value={value} label={`Copy ${label.toLowerCase()}`} />
    </div>
  );
}
