import { Badge, type BadgeTone } from "../ui/badge";
import type { DomainStatus } from "./types";

const STATUS: Record<DomainStatus, { tone: BadgeTone; label: string }> = {
  verified: { tone: "green", label: "Verified" },
  pending: { tone: "amber", label: "Pending" },
  failed: { tone: "red", label: "Failed" },
};

export function DomainStatusBadge({ status }: { status: DomainStatus }) {
  const { tone, label } = STATUS[status];
  return <Badge tone={tone}>{label}</Badge>;
}

/** One line on what the status means for sending. */
export const STATUS_MEANING: Record<DomainStatus, string> = {
  verified: "The verification token was found: sends from this domain carry no warning.",
  pending: "Not checked yet: publish the TXT record below, then verify. Until then the API answers sends from this domain with a warning.",
  failed: "The last check did not find the token: sends from this domain carry a warning until it is verified.",
};
