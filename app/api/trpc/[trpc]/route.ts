import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
// Registers the outbox dispatcher in this route's bundle, so webhook test sends and replays are requested at once.
import "@/server/jobs/client";
import { appRouter } from "@/server/trpc/root";
import { createRequestContext } from "@/server/trpc/request-context";

// GET/POST /api/trpc/* — the dashboard's API (server/trpc/root.ts), signed in with the next-auth session cookie
function handler(req: Request): Promise<Response> {
  return fetchRequestHandler({ endpoint: "/api/trpc", req, router: appRouter, createContext: () => createRequestContext(req) });
}

export { handler as GET, handler as POST };
