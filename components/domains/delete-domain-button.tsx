"use client";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { toast } from "sonner";
import { useTRPC } from "@/trpc/client";
import { ConfirmDelete } from "../common/confirm-delete";
import { Button } from "../ui/button";
import type { DomainView } from "./types";

export function DeleteDomainButton({ domain }: { domain: DomainView }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const remove = useMutation(
    trpc.domains.delete.mutationOptions({
      onSuccess: async () => {
        setOpen(false);
        await queryClient.invalidateQueries({ queryKey: trpc.domains.list.queryKey() });
        toast.success(`${domain.domain} removed`);
        router.push("/domains");
      },
    }),
  );
  return (
    <>
      <Button variant="secondary" onClick={() => setOpen(true)}>
        Delete
      </Button>
      <ConfirmDelete
        open={open}
        onClose={() => setOpen(false)}
        onConfirm={() => remove.mutate({ id: domain.id })}
        pending={remove.isPending}
        title={`Delete ${domain.domain}?`}
        name={domain.domain}
        consequence="Its verification is forgotten. Adding it again gives it a new token to publish."
        confirmLabel="Delete domain"
      />
    </>
  );
}
