import type { inferRouterOutputs } from "@trpc/server";
import type { AppRouter } from "@/server/trpc/root";

/** Where a test email goes (send.sendTest's mode). */
export type SendMode = "test" | "live";

/** The accepted email, as send.sendTest answers (the REST 202 body, warnings included). */
export type SentEmail = inferRouterOutputs<AppRouter>["send"]["sendTest"];

/** The connections list the mode picker reads (prefetched by the page with the same input). */
export const CONNECTIONS_INPUT = { per_page: 100 };
