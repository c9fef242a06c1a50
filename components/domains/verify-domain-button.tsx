"use client";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { toast } from "sonner";
import { useTRPC } from "@/trpc/client";
import { Button } from "../ui/button";
import type { DomainView } from "./types";

/** Looks the records up now (a few seconds at most); the findings replace the page's copy of the domain. */
export function VerifyDomainButton({ domain }: { domain: DomainView }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const verify = useMutation(
    trpc.domains.verify.mutationOptions({
      onSuccess: async (updated) => {
        queryClient.setQueryData(trpc.domains.get.queryKey({ id: updated.id }), updated);
        await queryClient.invalidateQueries({ queryKey: trpc.domains.list.queryKey() });
        if (updated.status === "verified") toast.success(`${updated.domain} is verified`);
        else toast.warning(updated.verification_result === "dns_error" ? "The DNS lookup did not complete: try again in a moment" : `${updated.domain}: the verification token was not found yet`);
      },
    }),
  );
  return (
    <>
      <Button onClick={() => verify.mutate({ id: domain.id })} pending={verify.isPending}>
        {verify.isPending ? "Checking DNS…" : "Verify now"}
      </Button>
      <span role="status" className="sr-only">
        {verify.isPending ? `Checking the DNS records of ${domain.domain}…` : ""}
      </span>
    </>
  );
}
