import { defaultShouldDehydrateQuery, MutationCache, QueryClient } from "@tanstack/react-query";

/**
 * One factory for the server (a client per request) and the browser (one client). Pending queries are
 * dehydrated too, so a server component can start a prefetch without awaiting it and the client picks the
 * promise up (create-t3-app's pattern). `onMutationError` is the fallback for mutations whose form handles
 * nothing itself (a toast), so no mutation fails silently.
 */
export function makeQueryClient(onMutationError?: (error: unknown) => void): QueryClient {
  return new QueryClient({
    mutationCache: new MutationCache({
      onError: (error, _variables, _context, mutation) => {
        if (!mutation.options.onError) onMutationError?.(error);
      },
    }),
    defaultOptions: {
      // Prefetched data is fresh for a moment: the client does not refetch what the server just sent.
      queries: { staleTime: 30_000 },
      dehydrate: { shouldDehydrateQuery: (query) => defaultShouldDehydrateQuery(query) || query.state.status === "pending" },
    },
  });
}
