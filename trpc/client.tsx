"use client";
/**
 * The browser side: `TRPCReactProvider` (in the dashboard layout) and `useTRPC()` for
 * `useSuspenseQuery(trpc.emails.list.queryOptions(filters))` and `useMutation(trpc.apiKeys.create.mutationOptions())`
 * in components/<feature>/ — the only place tRPC hooks are called.
 */
import { QueryClientProvider, type QueryClient } from "@tanstack/react-query";
import { createTRPCClient, httpBatchLink } from "@trpc/client";
import { createTRPCContext } from "@trpc/tanstack-react-query";
import { useState, type ReactNode } from "react";
import type { AppRouter } from "@/server/trpc/root";
import { makeQueryClient } from "./query-client";

export const { TRPCProvider, useTRPC } = createTRPCContext<AppRouter>();

let browserQueryClient: QueryClient | undefined;

/** On the server a fresh client per render (no data shared between users); in the browser one for the tab. */
function getQueryClient(onMutationError?: (error: unknown) => void): QueryClient {
  if (typeof window === "undefined") return makeQueryClient(onMutationError);
  browserQueryClient ??= makeQueryClient(onMutationError);
  return browserQueryClient;
}

export function TRPCReactProvider({ children, onMutationError }: { children: ReactNode; onMutationError?: (error: unknown) => void }) {
  const queryClient = getQueryClient(onMutationError);
  // Relative: the browser calls its own origin. Server renders read prefetched (hydrated) data and do not fetch.
  // maxItems: the server refuses a batch of more than TRPC_MAX_BATCH_SIZE (20) calls (server/trpc/init.ts).
  const [trpcClient] = useState(() => createTRPCClient<AppRouter>({ links: [httpBatchLink({ url: "/api/trpc", maxItems: 20 })] }));
  return (
    <QueryClientProvider client={queryClient}>
      <TRPCProvider trpcClient={trpcClient} queryClient={queryClient}>
        {children}
      </TRPCProvider>
    </QueryClientProvider>
  );
}
