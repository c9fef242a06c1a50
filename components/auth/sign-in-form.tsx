"use client";
import { zodResolver } from "@hookform/resolvers/zod";
import { signIn } from "next-auth/react";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { useForm } from "react-hook-form";
import type { z } from "zod";
import { loginInput } from "@/server/services/accounts/schemas";
import { fieldErrorText } from "../common/field-error-text";
import { Button } from "../ui/button";
import { Field, FormError } from "../ui/field";
import { Input } from "../ui/input";

export interface SignInMessages {
  /** Sentences by next-auth error code (CredentialsSignin, the rate-limit code…), from the page. */
  errorMessages: Record<string, string>;
  /** For a code without a sentence. */
  fallbackError: string;
}

/**
 * Signs in with next-auth's credentials provider without leaving the page, then goes to `callbackUrl`
 * (already checked to be a same-origin path by the page) or /overview. Resolves to the error sentence when
 * next-auth refused, and never resolves otherwise (the page is navigating away).
 */
export function useCredentialsSignIn({ callbackUrl, errorMessages, fallbackError }: SignInMessages & { callbackUrl: string | null }) {
  const router = useRouter();
  return async (email: string, password: string): Promise<string> => {
    let result: Awaited<ReturnType<typeof signIn>>;
    try {
      result = await signIn("credentials", { email, password, redirect: false });
    } catch {
      return "The server could not be reached. Check your connection and try again.";
    }
    if (!result?.ok || result.error) return (result?.error && errorMessages[result.error]) || fallbackError;
    router.replace(callbackUrl ?? "/overview");
    router.refresh();
    return new Promise<string>(() => undefined);
  };
}

type SignInValues = z.input<typeof loginInput>;

export function SignInForm({ callbackUrl, initialError, ...messages }: SignInMessages & { callbackUrl: string | null; initialError: string | null }) {
  const [formError, setFormError] = useState<string | null>(initialError);
  const signInWith = useCredentialsSignIn({ callbackUrl, ...messages });
  const { register, handleSubmit, formState } = useForm<SignInValues, unknown, z.output<typeof loginInput>>({
    resolver: zodResolver(loginInput),
    defaultValues: { email: "", password: "" },
  });
  const { errors, isSubmitting } = formState;

  const onSubmit = handleSubmit(async ({ email, password }) => {
    setFormError(null);
    setFormError(await signInWith(email, password));
  });

  return (
    <form onSubmit={onSubmit} noValidate className="space-y-4">
      <FormError message={formError} />
      <Field label="Email" error={fieldErrorText("Email", "email", errors.email)}>
        <Input type="email" autoComplete="email" inputMode="email" {...register("email")} />
      </Field>
      <Field label="Password" error={fieldErrorText("Password", "password", errors.password)}>
        <Input type="password" autoComplete="current-password" {...register("password")} />
      </Field>
      <Button type="submit" pending={isSubmitting} className="w-full">
        {isSubmitting ? "Signing in…" : "Sign in"}
      </Button>
    </form>
  );
}
