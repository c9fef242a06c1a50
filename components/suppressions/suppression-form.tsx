"use client";
import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { toast } from "sonner";
import type { z } from "zod";
import { createSuppressionInput } from "@/server/services/suppressions/schemas";
import { useTRPC } from "@/trpc/client";
import { fieldErrorText } from "../common/field-error-text";
import { applyValidationErrors } from "../common/validation-errors";
import { Button } from "../ui/button";
import { Field, FormError } from "../ui/field";
import { Input, Select, Textarea } from "../ui/input";
import { ReasonOptions } from "./reasons";

type Values = z.input<typeof createSuppressionInput>;

/**
 * Adds an address to the list. An address already on it is not an error for the service (it updates the
 * reason and note, as REST answers 200): the form says so in place instead of closing.
 */
export function SuppressionForm({ onDone }: { onDone: () => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [formError, setFormError] = useState<string | null>(null);
  const [updated, setUpdated] = useState<{ email: string; note: boolean } | null>(null);
  const { register, handleSubmit, setError, formState } = useForm<Values, unknown, z.output<typeof createSuppressionInput>>({
    resolver: zodResolver(createSuppressionInput),
    defaultValues: { email: "", reason: "manual", note: "" },
  });
  const create = useMutation(
    trpc.suppressions.create.mutationOptions({
      onSuccess: async (suppression, variables) => {
        await queryClient.invalidateQueries({ queryKey: trpc.suppressions.list.queryKey() });
        if (!suppression.created) return setUpdated({ email: suppression.email, note: Boolean(variables.note) });
        toast.success(`${suppression.email} is suppressed: sends to it are blocked`);
        onDone();
      },
      onError: (error) => setFormError(applyValidationErrors(error, setError, ["email", "reason", "note"])),
    }),
  );
  const { errors } = formState;

  return (
    <form
      noValidate
      className="space-y-4"
      onSubmit={handleSubmit((values) => {
        setFormError(null);
        setUpdated(null);
        create.mutate(values.note ? values : { email: values.email, reason: values.reason });
      })}
    >
      <FormError message={formError} />
      <Field label="Email address" error={fieldErrorText("Email address", "email", errors.email)}>
        <Input type="email" autoComplete="off" inputMode="email" spellCheck={false} placeholder="someone@example.com" maxLength={254} autoFocus {...register("email")} />
      </Field>
      {updated && (
        <p role="status" className="rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-900">
          {updated.email} was already on the list: its reason {updated.note ? "and note were" : "was"} updated.
        </p>
      )}
      <Field label="Reason" help="Manual, unless you are bringing over bounces or complaints recorded elsewhere." error={fieldErrorText("Reason", "reason", errors.reason)}>
        <Select {...register("reason")}>
          <ReasonOptions />
        </Select>
      </Field>
      <Field label="Note (optional)" help="Why, for whoever looks later, e.g. “Customer asked by phone”." error={fieldErrorText("Note", "note", errors.note)}>
        <Textarea rows={2} maxLength={500} {...register("note")} />
      </Field>
      <div className="flex flex-wrap justify-end gap-2 pt-2">
        <Button variant="secondary" onClick={onDone}>
          {updated ? "Close" : "Cancel"}
        </Button>
        <Button type="submit" pending={create.isPending}>
          Add to the list
        </Button>
      </div>
    </form>
  );
}
