import type { inferRouterOutputs } from "@trpc/server";
import type { AppRouter } from "@/server/trpc/root";

type Outputs = inferRouterOutputs<AppRouter>["routingRules"];

/** A routing rule as the REST API presents it, its targets in order with their connection's name. */
export type RuleView = Outputs["get"];
