"use client";
import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useForm, type FieldError } from "react-hook-form";
import { toast } from "sonner";
import type { z } from "zod";
import { sendEmailInput } from "@/server/services/emails/schemas";
import { useTRPC } from "@/trpc/client";
import { fieldErrorText } from "../common/field-error-text";
import { applyValidationErrors } from "../common/validation-errors";
import { Button } from "../ui/button";
import { Field, FormError } from "../ui/field";
import { Input, Textarea } from "../ui/input";
import type { SandboxAddress } from "./sandbox-addresses";
import { SandboxPicks } from "./sandbox-picks";
import { SendModePicker } from "./send-mode-picker";
import type { SendMode, SentEmail } from "./send-types";

type Values = z.input<typeof sendEmailInput>;

/** The fields the form has; a server error for any other goes into the form's error line. */
const FIELDS = ["from_email", "from_name", "to_email", "subject", "html_body", "text_body"] as const;

export const DEFAULT_VALUES: Values = {
  from_email: "",
  from_name: "",
  to_email: "delivered@sandbox.courierx.dev",
  subject: "Hello from CourierX",
  html_body: "<h1>It works!</h1>\n<p>A test email from the CourierX dashboard.</p>",
  text_body: "It works! A test email from the CourierX dashboard.",
};

/** Optional fields left blank are not sent (an empty from_name is no name, not ""). */
function withoutBlanks(values: z.output<typeof sendEmailInput>) {
  const { from_name, html_body, text_body, ...rest } = values;
  return { ...rest, ...(from_name?.trim() ? { from_name } : {}), ...(html_body?.trim() ? { html_body } : {}), ...(text_body?.trim() ? { text_body } : {}) };
}

export interface SendFormProps {
  sandbox: SandboxAddress[];
  initial: { values: Values; mode: SendMode };
  /** Members see the form but cannot send (the server refuses them anyway). */
  readOnly: boolean;
  onSent: (email: SentEmail, submitted: { values: Values; mode: SendMode }) => void;
}

/** "Send a test email": the fields of POST /api/v1/emails, sent through send.sendTest in the chosen mode. */
export function SendForm({ sandbox, initial, readOnly, onSent }: SendFormProps) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [mode, setMode] = useState<SendMode>(initial.mode);
  const [formError, setFormError] = useState<string | null>(null);
  const { register, handleSubmit, setError, setValue, getValues, formState } = useForm<Values, unknown, z.output<typeof sendEmailInput>>({
    resolver: zodResolver(sendEmailInput),
    defaultValues: initial.values,
  });
  const send = useMutation(
    trpc.send.sendTest.mutationOptions({
      onSuccess: async (email) => {
        await queryClient.invalidateQueries({ queryKey: trpc.emails.list.queryKey() });
        toast.success(mode === "test" ? "Test email accepted by the sandbox" : "Email accepted for delivery");
        onSent(email, { values: getValues(), mode });
      },
      onError: (error) => setFormError(applyValidationErrors(error, setError, FIELDS)),
    }),
  );
  const { errors } = formState;
  // The schema's "html_body or text_body is required" belongs to the whole message, not one field.
  const bodyError = (errors as Record<string, FieldError | undefined>)[""]?.message;
  const error = (label: string, key: (typeof FIELDS)[number]) => fieldErrorText(label, key, errors[key]);

  return (
    <form
      noValidate
      aria-label="Send a test email"
      className="space-y-5"
      onSubmit={handleSubmit((values) => {
        setFormError(null);
        send.mutate({ mode, data: withoutBlanks(values) });
      })}
    >
      <FormError message={formError} />
      <SendModePicker mode={mode} onChange={setMode} disabled={readOnly} />
      <fieldset disabled={readOnly} className="space-y-5">
        <div className="grid gap-4 sm:grid-cols-2">
          <Field label="From" help={mode === "live" ? "An address at a domain your providers accept." : "Any address: the sandbox accepts every sender."} error={error("From", "from_email")}>
            <Input type="email" autoComplete="off" placeholder="hello@yourapp.com" {...register("from_email")} />
          </Field>
          <Field label="From name" help="Optional." error={error("From name", "from_name")}>
            <Input autoComplete="off" placeholder="Your App" {...register("from_name")} />
          </Field>
        </div>
        <div className="space-y-2">
          <Field label="To" error={error("To", "to_email")}>
            <Input type="email" autoComplete="off" placeholder="someone@example.com" {...register("to_email")} />
          </Field>
          {mode === "test" && <SandboxPicks addresses={sandbox} onPick={(address) => setValue("to_email", address, { shouldValidate: true })} />}
        </div>
        <Field label="Subject" error={error("Subject", "subject")}>
          <Input autoComplete="off" {...register("subject")} />
        </Field>
        <div className="grid gap-4 lg:grid-cols-2">
          <Field label="HTML body" help="HTML, text or both." error={error("HTML body", "html_body")}>
            <Textarea rows={6} spellCheck={false} className="h-36 font-mono text-xs" {...register("html_body")} />
          </Field>
          <Field label="Text body" help="Shown by mail clients that do not display HTML." error={error("Text body", "text_body")}>
            <Textarea rows={6} className="h-36" {...register("text_body")} />
          </Field>
        </div>
        {bodyError && (
          <p role="alert" className="text-xs font-medium text-red-600">
            Write an HTML body or a text body (or both).
          </p>
        )}
      </fieldset>
      <div className="flex flex-wrap items-center justify-end gap-3 border-t border-slate-100 pt-4">
        {readOnly && <span className="text-sm text-slate-500">Only owners and admins can send: sending uses the account&apos;s providers.</span>}
        <Button type="submit" pending={send.isPending} disabled={readOnly}>
          {mode === "test" ? "Send to the sandbox" : "Send live email"}
        </Button>
      </div>
    </form>
  );
}
