"use client";
import { useSuspenseQuery } from "@tanstack/react-query";
import { useTRPC } from "@/trpc/client";

/** The account and the signed-in user (prefetched by the dashboard layout, so this never waits). */
export function useAccount() {
  const trpc = useTRPC();
  return useSuspenseQuery(trpc.account.me.queryOptions()).data;
}

/** Owners and admins change configuration; members only look. The server enforces it, the UI says it. */
export function useCanManage(): boolean {
  const role = useAccount().user?.role;
  return role === "owner" || role === "admin";
}
