"use client";
import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { toast } from "sonner";
import type { z } from "zod";
import { createApiKeyInput } from "@/server/services/api-keys/schemas";
import { useTRPC } from "@/trpc/client";
import { fieldErrorText } from "../common/field-error-text";
import { FormButtons } from "../common/form-buttons";
import { applyValidationErrors } from "../common/validation-errors";
import { Field, FormError } from "../ui/field";
import { Input } from "../ui/input";
import { MODE_HELP } from "./mode-badge";

type Values = z.input<typeof createApiKeyInput>;

export interface CreatedApiKey {
  name: string;
  raw_key?: string;
}

const MODES = [
  { value: "live", label: "Live", help: MODE_HELP.live },
  { value: "test", label: "Test", help: MODE_HELP.test },
] as const;

/** Name and mode of a new key; on success the parent shows the raw key (once). */
export function ApiKeyForm({ onCreated, onCancel }: { onCreated: (key: CreatedApiKey) => void; onCancel: () => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [formError, setFormError] = useState<string | null>(null);
  const { register, handleSubmit, setError, formState } = useForm<Values, unknown, z.output<typeof createApiKeyInput>>({
    resolver: zodResolver(createApiKeyInput),
    defaultValues: { name: "", mode: "live" },
  });
  const create = useMutation(
    trpc.apiKeys.create.mutationOptions({
      onSuccess: async (key) => {
        await queryClient.invalidateQueries({ queryKey: trpc.apiKeys.list.queryKey() });
        toast.success(`API key “${key.name}” created`);
        onCreated(key);
      },
      onError: (error) => setFormError(applyValidationErrors(error, setError, ["name", "mode"])),
    }),
  );
  const { errors } = formState;

  return (
    <form
      noValidate
      className="space-y-4"
      onSubmit={handleSubmit((values) => {
        setFormError(null);
        create.mutate(values);
      })}
    >
      <FormError message={formError} />
      <Field label="Name" help="What uses it, e.g. “Production backend”." error={fieldErrorText("Name", "name", errors.name)}>
        <Input autoComplete="off" maxLength={200} autoFocus {...register("name")} />
      </Field>
      <fieldset className="space-y-2">
        <legend className="text-sm font-medium text-slate-800">Mode</legend>
        {MODES.map((mode) => (
          <label key={mode.value} className="flex cursor-pointer items-start gap-3 rounded-md border border-slate-200 px-3 py-2.5 has-checked:border-indigo-500 has-checked:bg-indigo-50/50">
            <input type="radio" value={mode.value} className="mt-0.5 size-4 shrink-0 text-indigo-600 focus:ring-indigo-500" {...register("mode")} />
            <span>
              <span className="block text-sm font-medium text-slate-900">{mode.label}</span>
              <span className="block text-xs text-slate-500">{mode.help}</span>
            </span>
          </label>
        ))}
        {errors.mode?.message && (
          <p role="alert" className="text-xs font-medium text-red-600">
            {fieldErrorText("Mode", "mode", errors.mode)}
          </p>
        )}
      </fieldset>
      <FormButtons onCancel={onCancel} pending={create.isPending} submitLabel="Create key" />
    </form>
  );
}
