import { Badge } from "../ui/badge";
import type { ConnectionView } from "./types";

const CIRCUIT = {
  closed: { tone: "green", label: "Healthy" },
  half_open: { tone: "amber", label: "Probing" },
  open: { tone: "red", label: "Circuit open" },
} as const;

/** The breaker's state: healthy, open (skipped until retry_at), or half-open (the next send is a probe). */
export function HealthBadge({ health, enabled }: { health: ConnectionView["health"]; enabled: boolean }) {
  if (!enabled) return <Badge tone="gray">Disabled</Badge>;
  const state = CIRCUIT[health.state as keyof typeof CIRCUIT] ?? { tone: "gray", label: health.state };
  return <Badge tone={state.tone}>{state.label}</Badge>;
}

const VERIFICATION = {
  verified: { tone: "green", label: "Verified" },
  failed: { tone: "red", label: "Verification failed" },
  unverified: { tone: "gray", label: "Not verified" },
} as const;

export function VerificationBadge({ status }: { status: string }) {
  const shown = VERIFICATION[status as keyof typeof VERIFICATION] ?? VERIFICATION.unverified;
  return <Badge tone={shown.tone}>{shown.label}</Badge>;
}
