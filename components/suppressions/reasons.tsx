import { SUPPRESSION_REASONS } from "@/server/services/suppressions/schemas";
import type { BadgeTone } from "../ui/badge";
import type { SuppressionReason } from "./types";

/** How each reason of the service's SUPPRESSION_REASONS reads in the dashboard. */
export const REASONS: Record<SuppressionReason, { label: string; tone: BadgeTone; noun: string; help: string }> = {
  bounce: { label: "Bounce", tone: "red", noun: "Hard bounce", help: "The receiving server said the address does not exist." },
  complaint: { label: "Complaint", tone: "amber", noun: "Spam complaint", help: "The recipient marked an email as spam." },
  unsubscribe: { label: "Unsubscribe", tone: "blue", noun: "Unsubscribe", help: "The recipient unsubscribed through the provider." },
  manual: { label: "Manual", tone: "gray", noun: "Added by hand", help: "Added from the dashboard or the API." },
};

/** The reasons as <option>s, in the service's order (the form's select and the filter's). */
export function ReasonOptions() {
  return SUPPRESSION_REASONS.map((reason) => (
    <option key={reason} value={reason}>
      {REASONS[reason].label}
    </option>
  ));
}
