"use client";
import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { useForm, type FieldError, type FieldErrors, type FieldValues, type Path, type UseFormRegister } from "react-hook-form";
import type { z } from "zod";
import { PASSWORD_MIN_LENGTH, registerInput } from "@/server/services/accounts/schemas";
import { useTRPC } from "@/trpc/client";
import { applyValidationErrors } from "../common/validation-errors";
import { Button } from "../ui/button";
import { Field, FormError } from "../ui/field";
import { Input } from "../ui/input";
import { useCredentialsSignIn, type SignInMessages } from "./sign-in-form";
import { fieldErrorText } from "../common/field-error-text";

type SignUpValues = z.input<typeof registerInput>;

const FIELDS = ["name", "email", "password", "password_confirmation"] as const;

/** A new password and its confirmation (the schemas' newPasswordFields), for every form that creates a user. */
export function NewPasswordFields<T extends FieldValues & { password: string; password_confirmation: string }>({ register, errors }: { register: UseFormRegister<T>; errors: FieldErrors<T> }) {
  const message = (key: "password" | "password_confirmation") => errors[key] as FieldError | undefined;
  return (
    <>
      <Field label="Password" help={`At least ${PASSWORD_MIN_LENGTH} characters.`} error={fieldErrorText("Password", "password", message("password"))}>
        <Input type="password" autoComplete="new-password" {...register("password" as Path<T>)} />
      </Field>
      <Field label="Confirm password" error={fieldErrorText("Confirmation", "password_confirmation", message("password_confirmation"))}>
        <Input type="password" autoComplete="new-password" {...register("password_confirmation" as Path<T>)} />
      </Field>
    </>
  );
}

/** Creates the account (tenant + owner) through auth.signUp, then signs the owner in and opens the dashboard. */
export function SignUpForm({ callbackUrl, ...messages }: SignInMessages & { callbackUrl: string | null }) {
  const trpc = useTRPC();
  const [formError, setFormError] = useState<string | null>(null);
  const [signInFailed, setSignInFailed] = useState(false);
  const signInWith = useCredentialsSignIn({ callbackUrl, ...messages });
  const { register, handleSubmit, setError, formState } = useForm<SignUpValues, unknown, z.output<typeof registerInput>>({
    resolver: zodResolver(registerInput),
    defaultValues: { name: "", email: "", password: "", password_confirmation: "" },
  });
  const signUp = useMutation(trpc.auth.signUp.mutationOptions({ onError: (error) => setFormError(applyValidationErrors(error, setError, FIELDS)) }));
  const { errors, isSubmitting } = formState;

  const onSubmit = handleSubmit(async (values) => {
    setFormError(null);
    setSignInFailed(false);
    // A refusal is already on the form (onError): field errors inline, anything else above the fields.
    const created = await signUp.mutateAsync(values).then(
      () => true,
      () => false,
    );
    if (!created) return;
    const error = await signInWith(values.email, values.password);
    setSignInFailed(true);
    setFormError(`Your account was created, but signing in failed: ${error}`);
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
      <Field label="Account name" help="Your company or project. You can change it later." error={fieldErrorText("Account name", "name", errors.name)}>
        <Input autoComplete="organization" {...register("name")} />
      </Field>
      <Field label="Email" error={fieldErrorText("Email", "email", errors.email)}>
        <Input type="email" autoComplete="email" inputMode="email" {...register("email")} />
      </Field>
      <NewPasswordFields register={register} errors={errors} />
      <Button type="submit" pending={isSubmitting} className="w-full">
        {isSubmitting ? "Creating your account…" : "Create account"}
      </Button>
    </form>
  );
}
