"use client";
import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { toast } from "sonner";
import type { z } from "zod";
import { createDomainInput } from "@/server/services/domains/schemas";
import { useTRPC } from "@/trpc/client";
import { fieldErrorText } from "../common/field-error-text";
import { FormButtons } from "../common/form-buttons";
import { applyValidationErrors } from "../common/validation-errors";
import { Field, FormError } from "../ui/field";
import { Input } from "../ui/input";
import type { DomainView } from "./types";

type Values = z.input<typeof createDomainInput>;

/** Registers a sending domain; the parent then shows its TXT record. */
export function DomainForm({ onCreated, onCancel }: { onCreated: (domain: DomainView) => void; onCancel: () => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [formError, setFormError] = useState<string | null>(null);
  const { register, handleSubmit, setError, formState } = useForm<Values, unknown, z.output<typeof createDomainInput>>({
    resolver: zodResolver(createDomainInput),
    defaultValues: { domain: "" },
  });
  const create = useMutation(
    trpc.domains.create.mutationOptions({
      onSuccess: async (domain) => {
        queryClient.setQueryData(trpc.domains.get.queryKey({ id: domain.id }), domain);
        await queryClient.invalidateQueries({ queryKey: trpc.domains.list.queryKey() });
        toast.success(`${domain.domain} added: publish its TXT record, then verify`);
        onCreated(domain);
      },
      onError: (error) => setFormError(applyValidationErrors(error, setError, ["domain"])),
    }),
  );

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
      <Field label="Domain" help="The domain in your From addresses, e.g. mail.yourapp.com." error={fieldErrorText("Domain", "domain", formState.errors.domain)}>
        <Input autoComplete="off" autoCapitalize="none" spellCheck={false} inputMode="url" placeholder="mail.yourapp.com" maxLength={300} autoFocus {...register("domain")} />
      </Field>
      <FormButtons onCancel={onCancel} pending={create.isPending} submitLabel="Add domain" />
    </form>
  );
}
