"use client";
import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { toast } from "sonner";
import type { z } from "zod";
import { updateProviderConnectionInput } from "@/server/services/provider-connections/schemas";
import { useTRPC } from "@/trpc/client";
import { fieldErrorText } from "../common/field-error-text";
import { applyValidationErrors } from "../common/validation-errors";
import { Button } from "../ui/button";
import { Field, FormError } from "../ui/field";
import { Input, Textarea } from "../ui/input";
import type { EventsCopy } from "./provider-catalog";
import { SecretForm } from "./secret-form";
import type { ConnectionView } from "./types";
import { useRefreshConnections } from "./use-refresh-connections";

type Values = z.input<typeof updateProviderConnectionInput>;
type KeyCopy = NonNullable<EventsCopy["key"]>;

/** Sets, replaces or removes the webhook signing key / SNS topic ARN. It is never shown back: only "set". */
export function EventsKeyForm({ connection, copy, isSet }: { connection: ConnectionView; copy: KeyCopy; isSet: boolean }) {
  const trpc = useTRPC();
  const refresh = useRefreshConnections();
  const [formError, setFormError] = useState<string | null>(null);
  const { register, handleSubmit, setError, reset, formState } = useForm<Values, unknown, z.output<typeof updateProviderConnectionInput>>({
    resolver: zodResolver(updateProviderConnectionInput),
    defaultValues: { [copy.field]: "" },
  });
  const update = useMutation(
    trpc.providerConnections.update.mutationOptions({
      onSuccess: async (updated, { data }) => {
        reset({ [copy.field]: "" });
        await refresh(updated);
        toast.success(data[copy.field] === null ? `${copy.label} removed: the webhook refuses events until a new one is set` : `${copy.label} saved`);
      },
      onError: (error) => setFormError(applyValidationErrors(error, setError, [copy.field])),
    }),
  );
  const submit = handleSubmit((data) => {
    setFormError(null);
    update.mutate({ id: connection.id, data: { [copy.field]: data[copy.field] } });
  });
  const isKey = copy.field === "webhook_signing_key";
  const control = register(copy.field);
  return (
    <SecretForm onSubmit={submit} className="space-y-3">
      <FormError message={formError} />
      <Field label={isSet ? `New ${copy.noun}` : `Paste the ${copy.noun}`} help={copy.help} error={fieldErrorText(copy.label, copy.field, formState.errors[copy.field])}>
        {isKey ? (
          <Textarea rows={3} spellCheck={false} autoComplete="off" placeholder={copy.placeholder} className="font-mono text-xs" {...control} />
        ) : (
          <Input spellCheck={false} autoComplete="off" placeholder={copy.placeholder} className="font-mono text-xs" {...control} />
        )}
      </Field>
      <div className="flex flex-wrap justify-end gap-2">
        {isSet && (
          <Button variant="ghost" className="text-red-700 hover:bg-red-50" disabled={update.isPending} onClick={() => update.mutate({ id: connection.id, data: { [copy.field]: null } })}>
            Remove {copy.noun}
          </Button>
        )}
        <Button type="submit" variant="secondary" pending={update.isPending}>
          {isSet ? "Replace" : "Save"} {copy.noun}
        </Button>
      </div>
    </SecretForm>
  );
}
