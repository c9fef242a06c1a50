import type { inferRouterOutputs } from "@trpc/server";
import type { AppRouter } from "@/server/trpc/root";

type Outputs = inferRouterOutputs<AppRouter>["apiKeys"];

/** An API key as the list shows it (prefix only, never the key). */
export type ApiKeyRow = Outputs["list"]["items"][number];
