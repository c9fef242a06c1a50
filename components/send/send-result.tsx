"use client";
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useTRPC } from "@/trpc/client";
import { CopyField } from "../common/copy-button";
import { StatusBadge } from "../emails/status-badge";
import { Badge } from "../ui/badge";
import { Button, buttonClasses } from "../ui/button";
import type { SendMode, SentEmail } from "./send-types";

/** Statuses after which nothing more is expected to happen to a test email (polling stops; else after POLLS polls). */
const SETTLED = new Set(["delivered", "bounced", "failed", "suppressed", "canceled"]);
const POLLS = 30;

/** After the 202: the email's id, its status as it moves on (polled for a while), and the way to its detail. */
export function SendResult({ email, mode, onSendAnother }: { email: SentEmail; mode: SendMode; onSendAnother: () => void }) {
  const trpc = useTRPC();
  const detail = useQuery(
    trpc.emails.get.queryOptions(
      { id: email.id },
      { refetchInterval: (query) => (SETTLED.has(query.state.data?.status ?? "") || query.state.dataUpdateCount >= POLLS ? false : 1000) },
    ),
  );
  const status = detail.data?.status ?? email.status;
  const lastError = detail.data?.last_error ?? email.last_error;
  return (
    <div role="status" aria-label="Email accepted" className="space-y-4">
      <div className="flex flex-wrap items-center gap-2">
        <span aria-hidden className="flex size-8 items-center justify-center rounded-full bg-emerald-50 text-emerald-600">✓</span>
        <h2 className="text-base font-semibold text-slate-900">{mode === "test" ? "Accepted by the sandbox" : "Accepted for delivery"}</h2>
        <Badge tone={mode === "test" ? "amber" : "green"}>{mode === "test" ? "Test" : "Live"}</Badge>
      </div>
      <dl className="grid gap-3 text-sm sm:grid-cols-[8rem_1fr]">
        <dt className="font-medium text-slate-500">Email id</dt>
        <dd className="min-w-0">
          <CopyField value={email.id} label="Email id" />
        </dd>
        <dt className="font-medium text-slate-500">Status</dt>
        <dd className="flex flex-wrap items-center gap-2" aria-live="polite">
          <StatusBadge status={status} />
          {lastError && <span className="text-xs text-slate-600">{lastError}</span>}
        </dd>
        <dt className="font-medium text-slate-500">To</dt>
        <dd className="break-all text-slate-800">{email.to_email}</dd>
        <dt className="font-medium text-slate-500">Subject</dt>
        <dd className="break-words text-slate-800">{email.subject}</dd>
      </dl>
      {email.warnings.length > 0 && (
        <ul className="space-y-1 rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-900">
          {email.warnings.map((warning) => (
            <li key={warning}>{warning}</li>
          ))}
        </ul>
      )}
      <div className="flex flex-wrap gap-2">
        <Link href={`/emails/${email.id}`} className={buttonClasses("primary")}>
          View email and timeline
        </Link>
        <Button variant="secondary" onClick={onSendAnother}>
          Send another
        </Button>
      </div>
    </div>
  );
}
