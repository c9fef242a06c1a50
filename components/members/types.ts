import type { inferRouterOutputs } from "@trpc/server";
import type { AppRouter } from "@/server/trpc/root";

type Outputs = inferRouterOutputs<AppRouter>["members"];

export type MemberRow = Outputs["list"]["items"][number];
/** An invitation as the list shows it (never its link). */
export type InvitationRow = Outputs["invitations"]["items"][number];
export type Role = MemberRow["role"];
