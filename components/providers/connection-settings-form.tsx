"use client";
import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { FormProvider, useForm } from "react-hook-form";
import { toast } from "sonner";
import type { z } from "zod";
import { updateProviderConnectionInput } from "@/server/services/provider-connections/schemas";
import { useTRPC } from "@/trpc/client";
import { applyValidationErrors } from "../common/validation-errors";
import { Button } from "../ui/button";
import { FormError } from "../ui/field";
import { ROUTING_FORM_FIELDS, RoutingFields } from "./routing-fields";
import type { ConnectionView } from "./types";
import { useRefreshConnections } from "./use-refresh-connections";

type Values = z.input<typeof updateProviderConnectionInput>;

/** Rename, priority and weight: no credentials needed, nothing is contacted. */
export function ConnectionSettingsForm({ connection }: { connection: ConnectionView }) {
  const trpc = useTRPC();
  const refresh = useRefreshConnections();
  const [formError, setFormError] = useState<string | null>(null);
  const form = useForm<Values, unknown, z.output<typeof updateProviderConnectionInput>>({
    resolver: zodResolver(updateProviderConnectionInput),
    values: { display_name: connection.display_name, priority: connection.priority, weight: connection.weight },
    resetOptions: { keepDirtyValues: true },
  });
  const update = useMutation(
    trpc.providerConnections.update.mutationOptions({
      onSuccess: async (updated) => {
        form.reset({ display_name: updated.display_name, priority: updated.priority, weight: updated.weight });
        await refresh(updated);
        toast.success("Settings saved");
      },
      onError: (error) => setFormError(applyValidationErrors(error, form.setError, ROUTING_FORM_FIELDS)),
    }),
  );
  return (
    <FormProvider {...form}>
      <form
        noValidate
        className="space-y-4"
        onSubmit={form.handleSubmit((data) => {
          setFormError(null);
          update.mutate({ id: connection.id, data });
        })}
      >
        <FormError message={formError} />
        <RoutingFields />
        <div className="flex justify-end">
          <Button type="submit" pending={update.isPending} disabled={!form.formState.isDirty}>
            Save settings
          </Button>
        </div>
      </form>
    </FormProvider>
  );
}
