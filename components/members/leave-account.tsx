"use client";
import { useMutation } from "@tanstack/react-query";
import { signOut } from "next-auth/react";
import { useState } from "react";
import { useTRPC } from "@/trpc/client";
import { useAccount } from "../account/use-account";
import { ConfirmDelete } from "../common/confirm-delete";
import { Button } from "../ui/button";
import { CardBody, CardHeader } from "../ui/card";

/** Leaving deletes the signed-in user (a user belongs to one account); the last owner is refused by the server. */
export function LeaveAccount() {
  const trpc = useTRPC();
  const { account, user } = useAccount();
  const [open, setOpen] = useState(false);
  const leave = useMutation(
    trpc.members.leave.mutationOptions({
      onSuccess: () => void signOut({ callbackUrl: "/sign-in" }),
      onError: () => setOpen(false),
    }),
  );
  return (
    <>
      <CardHeader
        title="Leave this account"
        description={`Your sign-in is deleted and you lose access at once.${user?.role === "owner" ? " An account keeps at least one owner: make someone else an owner before you leave." : ""}`}
      />
      <CardBody>
        <Button variant="secondary" className="text-red-700" onClick={() => setOpen(true)}>
          Leave {account.name}
        </Button>
      </CardBody>
      <ConfirmDelete
        open={open}
        onClose={() => setOpen(false)}
        onConfirm={() => leave.mutate()}
        pending={leave.isPending}
        title={`Leave ${account.name}?`}
        name={account.name}
        consequence="Your user is deleted. To come back, someone has to invite you again."
        confirmLabel="Leave account"
      />
    </>
  );
}
