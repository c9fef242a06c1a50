"use client";
import { useQueryClient } from "@tanstack/react-query";
import { useTRPC } from "@/trpc/client";
import type { ConnectionView } from "./types";

/**
 * After a change: the answer replaces the detail at once, and the lists (the providers table, the routing
 * rule form's connection picker, the connect page's next priority) are fetched again.
 */
export function useRefreshConnections() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  return async (connection?: ConnectionView) => {
    if (connection) queryClient.setQueryData(trpc.providerConnections.get.queryKey({ id: connection.id }), connection);
    await queryClient.invalidateQueries({ queryKey: trpc.providerConnections.list.queryKey() });
  };
}
