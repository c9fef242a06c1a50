import type { inferRouterOutputs } from "@trpc/server";
import type { AppRouter } from "@/server/trpc/root";

type Outputs = inferRouterOutputs<AppRouter>["suppressions"];

export type SuppressionRow = Outputs["list"]["items"][number];
export type SuppressionReason = SuppressionRow["reason"];
