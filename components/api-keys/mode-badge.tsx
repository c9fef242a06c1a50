import { Badge } from "../ui/badge";

/** Live vs test in one line each: where a key's requests can reach. */
export const MODE_HELP = {
  live: "Live keys send through your connected providers and read your live data.",
  test: "Test keys only reach the sandbox: never a live provider, never live data.",
} as const;

export function ModeBadge({ mode }: { mode: string }) {
  return <Badge tone={mode === "live" ? "green" : "amber"}>{mode === "live" ? "Live" : "Test"}</Badge>;
}
