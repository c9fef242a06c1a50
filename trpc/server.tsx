/**
 * Server components: `trpc` builds query options that run the procedures in-process (no HTTP) with the
 * page request's session; `prefetch` starts them, `HydrateClient` hands the results (or the pending
 * promises) to the client's `useSuspenseQuery`. `getCaller` is for server code that needs the data itself
 * (a redirect, a title).
 */
import { dehydrate, HydrationBoundary } from "@tanstack/react-query";
import { createTRPCOptionsProxy, type TRPCQueryOptions } from "@trpc/tanstack-react-query";
import { TRPCError } from "@trpc/server";
import { notFound } from "next/navigation";
import type { ReactNode } from "react";
import { cache } from "react";
import { createServerComponentContext } from "@/server/trpc/request-context";
import { appRouter, createCaller } from "@/server/trpc/root";
import { makeQueryClient } from "./query-client";

/** One query client and one context per request. */
export const getQueryClient = cache(() => makeQueryClient());
const getContext = cache(createServerComponentContext);

export const trpc = createTRPCOptionsProxy({ router: appRouter, ctx: getContext, queryClient: getQueryClient });

export async function getCaller() {
  return createCaller(await getContext());
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any procedure's options, as in @trpc/tanstack-react-query's examples
export function prefetch<T extends ReturnType<TRPCQueryOptions<any>>>(queryOptions: T): void {
  // Not awaited on purpose (the page streams): prefetchQuery never rejects, a failure stays in the query's
  // state and reaches the client's error boundary through the dehydrated query.
  void getQueryClient().prefetchQuery(queryOptions);
}

/**
 * For a detail page: the row is fetched before rendering (and stays in the request's query client for
 * HydrateClient), so an unknown id, or another tenant's, is the segment's 404 page, not an error.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any procedure's options, as prefetch() above
export async function fetchOrNotFound<T extends ReturnType<TRPCQueryOptions<any>>>(queryOptions: T): Promise<void> {
  try {
    await getQueryClient().fetchQuery(queryOptions);
  } catch (error) {
    if (error instanceof TRPCError && error.code === "NOT_FOUND") notFound();
    throw error;
  }
}

export function HydrateClient({ children }: { children: ReactNode }) {
  return <HydrationBoundary state={dehydrate(getQueryClient())}>{children}</HydrationBoundary>;
}
