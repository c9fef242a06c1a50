"use client";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { toast } from "sonner";
import { useTRPC } from "@/trpc/client";
import { useAccount, useCanManage } from "../account/use-account";
import { errorMessage } from "../common/error-message";
import { Card, CardBody, CardHeader } from "../ui/card";
import { Checkbox } from "../ui/input";

/** The account's sending defaults: for now, the one-click unsubscribe link (RFC 8058). Saved on change. */
export function SendingDefaults() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { account } = useAccount();
  const canManage = useCanManage();
  const update = useMutation(
    trpc.account.updateSettings.mutationOptions({
      onSuccess: async (next) => {
        queryClient.setQueryData(trpc.account.me.queryKey(), next);
        toast.success(next.account.unsubscribe_by_default ? "Emails now carry a one-click unsubscribe link" : "Emails no longer carry an unsubscribe link by default");
      },
      onError: (error) => toast.error(errorMessage(error)),
    }),
  );
  return (
    <Card className="lg:col-span-2">
      <CardHeader title="Sending defaults" description="What every email gets unless the send says otherwise." />
      <CardBody className="space-y-2 text-sm">
        <label className="flex items-start gap-3">
          <Checkbox
            className="mt-0.5"
            checked={account.unsubscribe_by_default}
            disabled={!canManage || update.isPending}
            onChange={(event) => update.mutate({ unsubscribe_by_default: event.target.checked })}
            aria-describedby="unsubscribe-default-help"
          />
          <span className="font-medium text-slate-900">Add a one-click unsubscribe link to every email</span>
        </label>
        <p id="unsubscribe-default-help" className="pl-7 text-slate-500">
          Sends List-Unsubscribe and List-Unsubscribe-Post (RFC 8058), which Gmail and Yahoo require of bulk senders. A recipient who unsubscribes is added to your
          suppressions. A send can still choose with <code className="font-mono text-xs">&quot;unsubscribe&quot;: true</code> or <code className="font-mono text-xs">false</code>.
        </p>
      </CardBody>
    </Card>
  );
}
