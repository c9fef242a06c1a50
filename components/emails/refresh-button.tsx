"use client";
import { useQueryClient } from "@tanstack/react-query";
import { useTRPC } from "@/trpc/client";
import { Button } from "../ui/button";

/** Loads the list again now (it also refreshes itself every few seconds while open). */
export function RefreshEmailsButton() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  return (
    <Button variant="secondary" onClick={() => void queryClient.invalidateQueries({ queryKey: trpc.emails.list.queryKey() })}>
      Refresh
    </Button>
  );
}
