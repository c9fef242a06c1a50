"use client";
import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { useForm } from "react-hook-form";
import type { z } from "zod";
import { acceptInvitationForm } from "@/server/services/members/schemas";
import { useTRPC } from "@/trpc/client";
import { applyValidationErrors } from "../common/validation-errors";
import { Button } from "../ui/button";
import { Field, FormError } from "../ui/field";
import { Input } from "../ui/input";
import { fieldErrorText } from "../common/field-error-text";
import { useCredentialsSignIn, type SignInMessages } from "./sign-in-form";
import { NewPasswordFields } from "./sign-up-form";

type Values = z.input<typeof acceptInvitationForm>;

const FIELDS = ["name", "password", "password_confirmation"] as const;

/**
 * Signs up through an invitation: the email is the invitation's (shown, not editable); the user picks a name
 * and a password, then is signed in with next-auth and lands on the overview.
 */
export function AcceptInvitationForm({ token, email, ...messages }: SignInMessages & { token: string; email: string }) {
  const trpc = useTRPC();
  const [formError, setFormError] = useState<string | null>(null);
  const [signInFailed, setSignInFailed] = useState(false);
  const signInWith = useCredentialsSignIn({ callbackUrl: "/overview", ...messages });
  const { register, handleSubmit, setError, formState } = useForm<Values, unknown, z.output<typeof acceptInvitationForm>>({
    resolver: zodResolver(acceptInvitationForm),
    defaultValues: { name: "", password: "", password_confirmation: "" },
  });
  const accept = useMutation(trpc.invitations.accept.mutationOptions({ onError: (error) => setFormError(applyValidationErrors(error, setError, FIELDS)) }));
  const { errors, isSubmitting } = formState;

  const onSubmit = handleSubmit(async (values) => {
    setFormError(null);
    setSignInFailed(false);
    // A refusal is already on the form (onError): field errors inline, anything else above the fields.
    const joined = await accept.mutateAsync({ token, ...values }).then(
      () => true,
      () => false,
    );
    if (!joined) return;
    const error = await signInWith(email, values.password);
    setSignInFailed(true);
    setFormError(`You have joined, but signing in failed: ${error}`);
  });

  return (
    <form onSubmit={onSubmit} noValidate className="space-y-4">
      <FormError message={formError} />
      {signInFailed && (
        <p className="text-sm">
          <Link href="/sign-in" className="font-medium text-indigo-600 hover:text-indigo-500">
            Go to sign in
          </Link>
        </p>
      )}
      <Field label="Email" help="The invitation is for this address.">
        <Input type="email" value={email} readOnly autoComplete="username" className="bg-slate-50 text-slate-600" />
      </Field>
      <Field label="Your name" error={fieldErrorText("Your name", "name", errors.name)}>
        <Input autoComplete="name" autoFocus {...register("name")} />
      </Field>
      <NewPasswordFields register={register} errors={errors} />
      <Button type="submit" pending={isSubmitting} className="w-full">
        {isSubmitting ? "Joining…" : "Join and sign in"}
      </Button>
    </form>
  );
}
