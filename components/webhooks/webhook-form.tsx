"use client";
import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useForm, type FieldError } from "react-hook-form";
import { toast } from "sonner";
import type { z } from "zod";
import { isOutgoingEventType } from "@/server/services/events/event-types";
import { createWebhookEndpointInput } from "@/server/services/webhooks/schemas";
import { useTRPC } from "@/trpc/client";
import { fieldErrorText } from "../common/field-error-text";
import { FormButtons } from "../common/form-buttons";
import { applyValidationErrors } from "../common/validation-errors";
import { Field, FormError } from "../ui/field";
import { Checkbox, Input, Textarea } from "../ui/input";
import { EVENT_DESCRIPTIONS, OUTGOING_EVENT_TYPES } from "./event-types";
import type { WebhookEndpoint } from "./types";

type Values = z.input<typeof createWebhookEndpointInput>;
const FIELDS = ["url", "description", "events"] as const;

/**
 * The endpoint's URL, description and event filter: creates one (the answer carries the signing secret,
 * handed to `onCreated`) or, given `endpoint`, edits it.
 */
export function WebhookEndpointForm({ endpoint, onCreated, onSaved, onCancel }: {
  endpoint?: WebhookEndpoint;
  onCreated?: (secret: string) => void;
  onSaved?: () => void;
  onCancel: () => void;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [formError, setFormError] = useState<string | null>(null);
  const { register, handleSubmit, setError, setFocus, getFieldState, formState } = useForm<Values, unknown, z.output<typeof createWebhookEndpointInput>>({
    resolver: zodResolver(createWebhookEndpointInput),
    defaultValues: { url: endpoint?.url ?? "", description: endpoint?.description ?? "", events: endpoint?.events.filter(isOutgoingEventType) ?? [] },
  });
  // The submit button sits below the event boxes: bring the refused field (else the top, where the form's
  // error is) back into view.
  const onError = (error: unknown) => {
    setFormError(applyValidationErrors(error, setError, FIELDS));
    setFocus(FIELDS.find((field) => getFieldState(field).error) ?? "url");
  };
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.webhookEndpoints.pathKey() });
  const create = useMutation(
    trpc.webhookEndpoints.create.mutationOptions({
      onError,
      onSuccess: async (created) => {
        await refresh();
        toast.success("Webhook endpoint added");
        onCreated?.(created.secret);
      },
    }),
  );
  const update = useMutation(
    trpc.webhookEndpoints.update.mutationOptions({
      onError,
      onSuccess: async () => {
        await refresh();
        toast.success("Webhook endpoint saved");
        onSaved?.();
      },
    }),
  );
  const { errors } = formState;

  const onSubmit = handleSubmit((values) => {
    setFormError(null);
    const description = values.description?.trim() ? values.description.trim() : null;
    if (endpoint) update.mutate({ id: endpoint.id, data: { url: values.url, description, events: values.events } });
    else create.mutate({ url: values.url, events: values.events, ...(description ? { description } : {}) });
  });

  return (
    <form noValidate onSubmit={onSubmit} className="space-y-4">
      <FormError message={formError} />
      <Field label="URL" help="Where CourierX POSTs each event (http or https, reachable from the internet)." error={fieldErrorText("URL", "url", errors.url)}>
        <Input type="url" inputMode="url" autoComplete="off" placeholder="https://yourapp.com/webhooks/email" autoFocus={!endpoint} {...register("url")} />
      </Field>
      <Field label="Description (optional)" error={fieldErrorText("Description", "description", errors.description)}>
        <Textarea rows={2} placeholder="Email delivery events" {...register("description")} />
      </Field>
      <fieldset aria-describedby="webhook-events-help">
        <legend className="text-sm font-medium text-slate-800">Events</legend>
        <p id="webhook-events-help" className="mt-0.5 text-xs text-slate-500">
          Leave every box unchecked to receive all event types.
        </p>
        <div className="mt-2 grid gap-1.5 sm:grid-cols-2">
          {OUTGOING_EVENT_TYPES.map((type) => (
            <label key={type} className="flex cursor-pointer items-start gap-2.5 rounded-md border border-slate-200 px-3 py-2 has-checked:border-indigo-400 has-checked:bg-indigo-50/50">
              <Checkbox value={type} className="mt-0.5 shrink-0" {...register("events")} />
              <span className="min-w-0">
                <span className="block font-mono text-sm text-slate-900">{type}</span>
                <span className="block text-xs text-slate-500">{EVENT_DESCRIPTIONS[type]}</span>
              </span>
            </label>
          ))}
        </div>
        {errors.events && (
          <p role="alert" className="mt-1.5 text-xs font-medium text-red-600">
            {fieldErrorText("Events", "events", errors.events as FieldError)}
          </p>
        )}
      </fieldset>
      <FormButtons onCancel={onCancel} pending={create.isPending || update.isPending} submitLabel={endpoint ? "Save changes" : "Add endpoint"} />
    </form>
  );
}
