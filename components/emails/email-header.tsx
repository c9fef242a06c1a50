"use client";
import type { ReactNode } from "react";
import { CopyButton } from "../common/copy-button";
import { RelativeTime } from "../common/time";
import { Badge } from "../ui/badge";
import { Card, CardBody } from "../ui/card";
import { emailProviderLabel } from "./provider-label";
import { StatusBadge } from "./status-badge";
import type { EmailDetailView } from "./types";

function address(email: string, name: string | null): string {
  return name ? `${name} <${email}>` : email;
}

function Row({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="min-w-0">
      <dt className="text-xs font-medium text-slate-500">{label}</dt>
      <dd className="mt-0.5 min-w-0 text-sm break-words text-slate-800">{children}</dd>
    </div>
  );
}

/** Who, what and where the email is: subject, addresses, status, id, tags, metadata and its times. */
export function EmailHeader({ email }: { email: EmailDetailView }) {
  const metadata = Object.entries((email.metadata ?? {}) as Record<string, unknown>);
  const headers = Object.entries((email.headers ?? {}) as Record<string, unknown>);
  const outcome: [string, string | null][] = [
    ["Sent", email.sent_at],
    ["Delivered", email.delivered_at],
    ["Bounced", email.bounced_at],
    ["Failed", email.failed_at],
    ["Canceled", email.canceled_at],
  ];
  return (
    <Card>
      <CardBody className="space-y-5">
        <div className="space-y-2">
          <div className="flex flex-wrap items-center gap-2">
            <StatusBadge status={email.status} />
            {email.test && <Badge>test</Badge>}
            {email.possible_duplicate && <Badge tone="amber">possible duplicate</Badge>}
          </div>
          <h1 className="text-xl font-semibold tracking-tight break-words text-slate-900">{email.subject}</h1>
        </div>
        <dl className="grid grid-cols-1 gap-x-6 gap-y-4 sm:grid-cols-2 lg:grid-cols-3">
          <Row label="From">{address(email.from_email, email.from_name)}</Row>
          <Row label="To">{address(email.to_email, email.to_name)}</Row>
          {email.reply_to && <Row label="Reply-to">{email.reply_to}</Row>}
          <Row label="Provider">
            {emailProviderLabel(email) ?? "—"}
            {email.provider_message_id && <span className="block truncate font-mono text-xs text-slate-500" title={email.provider_message_id}>{email.provider_message_id}</span>}
          </Row>
          <Row label="Email ID">
            <span className="flex items-center gap-2">
              <code className="min-w-0 truncate font-mono text-xs" title={email.id}>
                {email.id}
              </code>
              <CopyButton value={email.id} label="Copy email ID" />
            </span>
          </Row>
          <Row label="Created">
            <RelativeTime value={email.created_at} />
          </Row>
          {outcome.map(([label, at]) => at && (
            <Row key={label} label={label}>
              <RelativeTime value={at} />
            </Row>
          ))}
          {email.status === "queued" && email.scheduled_at && (
            <Row label="Scheduled for">
              <RelativeTime value={email.scheduled_at} />
            </Row>
          )}
          {email.status === "queued" && email.next_attempt_at && (
            <Row label="Next attempt">
              <RelativeTime value={email.next_attempt_at} />
            </Row>
          )}
          <Row label="Attempts">{email.attempts}</Row>
          {email.last_error && (
            <Row label="Last error">
              <span className="text-red-700">{email.last_error}</span>
            </Row>
          )}
          <Row label="Tags">
            {email.tags.length > 0 ? (
              <span className="flex flex-wrap gap-1">
                {email.tags.map((tag) => (
                  <Badge key={tag} tone="indigo">
                    {tag}
                  </Badge>
                ))}
              </span>
            ) : (
              <span className="text-slate-400">None</span>
            )}
          </Row>
        </dl>
        {(metadata.length > 0 || headers.length > 0 || email.attachments.length > 0) && (
          <div className="grid grid-cols-1 gap-4 border-t border-slate-100 pt-4 md:grid-cols-3">
            {metadata.length > 0 && <Pairs title="Metadata" pairs={metadata} />}
            {headers.length > 0 && <Pairs title="Custom headers" pairs={headers} />}
            {email.attachments.length > 0 && (
              <div className="min-w-0">
                <h2 className="text-xs font-medium text-slate-500">Attachments</h2>
                <ul className="mt-1 space-y-0.5 text-sm">
                  {email.attachments.map((a, i) => (
                    <li key={i} className="break-words">
                      {a.filename} <span className="text-slate-500">· {a.content_type} · {formatBytes(a.size)}</span>
                    </li>
                  ))}
                </ul>
              </div>
            )}
          </div>
        )}
      </CardBody>
    </Card>
  );
}

function Pairs({ title, pairs }: { title: string; pairs: [string, unknown][] }) {
  return (
    <div className="min-w-0">
      <h2 className="text-xs font-medium text-slate-500">{title}</h2>
      <dl className="mt-1 space-y-0.5 font-mono text-xs">
        {pairs.map(([key, value]) => (
          <div key={key} className="flex min-w-0 gap-2">
            <dt className="shrink-0 text-slate-500">{key}</dt>
            <dd className="min-w-0 break-all text-slate-800">{typeof value === "string" ? value : JSON.stringify(value)}</dd>
          </div>
        ))}
      </dl>
    </div>
  );
}

function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
