"use client";
import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useForm } from "react-hook-form";
import type { z } from "zod";
import { createInvitationInput, INVITABLE_ROLES } from "@/server/services/members/schemas";
import { useTRPC } from "@/trpc/client";
import { fieldErrorText } from "../common/field-error-text";
import { FormButtons } from "../common/form-buttons";
import { applyValidationErrors } from "../common/validation-errors";
import { Field, FormError } from "../ui/field";
import { Input } from "../ui/input";
import type { IssuedLink } from "./invitation-link";
import { ROLE_HELP, ROLE_LABELS } from "./role-badge";

type Values = z.input<typeof createInvitationInput>;

/** Email and role of the person to invite; on success the parent shows the link (once). */
export function InviteForm({ onInvited, onCancel }: { onInvited: (issued: IssuedLink) => void; onCancel: () => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [formError, setFormError] = useState<string | null>(null);
  const { register, handleSubmit, setError, formState } = useForm<Values, unknown, z.output<typeof createInvitationInput>>({
    resolver: zodResolver(createInvitationInput),
    defaultValues: { email: "", role: "member" },
  });
  const invite = useMutation(
    trpc.members.invite.mutationOptions({
      onSuccess: async (invitation) => {
        await queryClient.invalidateQueries({ queryKey: trpc.members.invitations.queryKey() });
        onInvited({ email: invitation.email, link: invitation.link });
      },
      onError: (error) => setFormError(applyValidationErrors(error, setError, ["email", "role"])),
    }),
  );
  const { errors } = formState;

  return (
    <form
      noValidate
      className="space-y-4"
      onSubmit={handleSubmit((values) => {
        setFormError(null);
        invite.mutate(values);
      })}
    >
      <FormError message={formError} />
      <Field label="Email" help="They sign up with this address through the link; it cannot already have a CourierX account." error={fieldErrorText("Email", "email", errors.email)}>
        <Input type="email" inputMode="email" autoComplete="off" autoFocus {...register("email")} />
      </Field>
      <fieldset className="space-y-2">
        <legend className="text-sm font-medium text-slate-800">Role</legend>
        {INVITABLE_ROLES.map((role) => (
          <label key={role} className="flex cursor-pointer items-start gap-3 rounded-md border border-slate-200 px-3 py-2.5 has-checked:border-indigo-500 has-checked:bg-indigo-50/50">
            <input type="radio" value={role} className="mt-0.5 size-4 text-indigo-600 focus:ring-indigo-500" {...register("role")} />
            <span>
              <span className="block text-sm font-medium text-slate-900">{ROLE_LABELS[role]}</span>
              <span className="block text-xs text-slate-500">{ROLE_HELP[role]}</span>
            </span>
          </label>
        ))}
        {errors.role?.message && (
          <p role="alert" className="text-xs font-medium text-red-600">
            {fieldErrorText("Role", "role", errors.role)}
          </p>
        )}
      </fieldset>
      <p className="text-xs text-slate-500">Owners are made from members: invite them as an admin, then change their role once they have joined.</p>
      <FormButtons onCancel={onCancel} pending={invite.isPending} submitLabel="Create invitation link" />
    </form>
  );
}
