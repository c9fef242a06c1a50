import { Badge, type BadgeTone } from "@/components/ui/badge";

/**
 * Tones by meaning, for every status an email, a timeline event or a webhook delivery can have: green
 * arrived, red refused or lost, amber held back or retried, blue on its way, purple read.
 */
const TONES: Record<string, BadgeTone> = {
  // Email statuses (EMAIL_STATUSES)
  queued: "blue",
  sent: "indigo",
  delivered: "green",
  bounced: "red",
  failed: "red",
  suppressed: "amber",
  canceled: "gray",
  // Timeline events beyond them
  attempt_failed: "amber",
  skipped: "gray",
  deferred: "amber",
  opened: "purple",
  clicked: "purple",
  complained: "red",
  unsubscribed: "gray",
  // Webhook deliveries
  pending: "blue",
  succeeded: "green",
};

export function statusLabel(status: string): string {
  return status.replaceAll("_", " ");
}

export function StatusBadge({ status, className }: { status: string; className?: string }) {
  return (
    <Badge tone={TONES[status] ?? "gray"} className={className}>
      {statusLabel(status)}
    </Badge>
  );
}
