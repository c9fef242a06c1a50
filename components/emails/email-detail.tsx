"use client";
import { useSuspenseQuery } from "@tanstack/react-query";
import { Suspense } from "react";
import { useTRPC } from "@/trpc/client";
import { ErrorBoundary } from "../common/error-boundary";
import { Card } from "../ui/card";
import { TableSkeleton } from "../ui/skeleton";
import { EmailHeader } from "./email-header";
import { EmailPreview } from "./email-preview";
import { EmailSendOptions } from "./email-send-options";
import { EmailTimeline } from "./email-timeline";
import type { EmailDetailView, EmailTimelineView } from "./types";

/** Fast while the email is on its way; slower while provider events or webhook retries may still come; else not at all. */
export function pollInterval(email: Pick<EmailDetailView, "status" | "sent_at">, extra?: EmailTimelineView): number | false {
  if (email.status === "queued") return 2_000;
  if (extra?.webhook_deliveries.some((d) => d.status === "pending")) return 5_000;
  const sentAt = email.sent_at ? new Date(email.sent_at).getTime() : 0;
  if (email.status === "sent" && Date.now() - sentAt < 15 * 60_000) return 5_000;
  return false;
}

export function EmailDetail({ id }: { id: string }) {
  const trpc = useTRPC();
  const { data: email } = useSuspenseQuery({ ...trpc.emails.get.queryOptions({ id }), refetchInterval: (query) => (query.state.data ? pollInterval(query.state.data) : false) });
  return (
    <div className="space-y-6">
      <EmailHeader email={email} />
      <ErrorBoundary title="The timeline could not be loaded">
        <Suspense
          fallback={
            <Card>
              <TableSkeleton rows={4} columns={2} label="Loading the timeline…" />
            </Card>
          }
        >
          <TimelineSection email={email} />
        </Suspense>
      </ErrorBoundary>
      <EmailPreview html={email.html_body} text={email.text_body} />
    </div>
  );
}

function TimelineSection({ email }: { email: EmailDetailView }) {
  const trpc = useTRPC();
  const { data: extra } = useSuspenseQuery({ ...trpc.emails.timeline.queryOptions({ id: email.id }), refetchInterval: (query) => pollInterval(email, query.state.data) });
  return (
    <>
      <EmailSendOptions email={email} extra={extra} />
      <EmailTimeline events={email.events} extra={extra} />
    </>
  );
}
