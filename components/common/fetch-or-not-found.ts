import { TRPCError } from "@trpc/server";
import type { TRPCQueryOptions } from "@trpc/tanstack-react-query";
import { notFound } from "next/navigation";
import { getQueryClient } from "@/trpc/server";

/**
 * For a detail page (server component): the row is fetched before rendering, so an unknown id (or another
 * tenant's) is the segment's 404 page, not an error; the result stays in the request's query client for
 * HydrateClient: `await fetchOrNotFound(trpc.domains.get.queryOptions({ id }))`. Server components only.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any procedure's options, as prefetch() in trpc/server.tsx
export async function fetchOrNotFound<T extends ReturnType<TRPCQueryOptions<any>>>(options: T): Promise<void> {
  try {
    await getQueryClient().fetchQuery(options);
  } catch (error) {
    if (error instanceof TRPCError && error.code === "NOT_FOUND") notFound();
    throw error;
  }
}
