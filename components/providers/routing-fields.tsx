"use client";
import { useFormContext } from "react-hook-form";
import type { UpdateProviderConnectionInput } from "@/server/services/provider-connections/schemas";
import { fieldErrorText } from "../common/field-error-text";
import { Field } from "../ui/field";
import { Input } from "../ui/input";
import { numberValue, textValue } from "./credential-fields";

export type RoutingValues = Pick<UpdateProviderConnectionInput, "display_name" | "priority" | "weight">;

export const ROUTING_FORM_FIELDS = ["display_name", "priority", "weight"] as const;

/** A connection's name and its place in routing: priority (failover order) and weight (weighted rules). */
export function RoutingFields({ defaultName }: { defaultName?: string }) {
  const { register, formState } = useFormContext<RoutingValues>();
  const { errors } = formState;
  return (
    <div className="grid gap-4 sm:grid-cols-2">
      <Field
        className="sm:col-span-2"
        label="Name"
        help={`How this connection appears in lists, routing rules and email timelines.${defaultName ? ` Empty: “${defaultName}”.` : ""}`}
        error={fieldErrorText("Name", "display_name", errors.display_name)}
      >
        {/* With a default, an empty name is "not given"; on an existing connection it is a blank name, refused. */}
        <Input autoComplete="off" maxLength={100} placeholder={defaultName} {...register("display_name", defaultName ? { setValueAs: textValue } : {})} />
      </Field>
      <Field label="Priority" help="Lower goes first: without a routing rule, sends try 1, then 2, and so on (0–1000)." error={fieldErrorText("Priority", "priority", errors.priority)}>
        <Input type="number" inputMode="numeric" min={0} max={1000} {...register("priority", { setValueAs: numberValue })} />
      </Field>
      <Field label="Weight" help="The share this connection starts with when you add it to a weighted routing rule (0–1000)." error={fieldErrorText("Weight", "weight", errors.weight)}>
        <Input type="number" inputMode="numeric" min={0} max={1000} {...register("weight", { setValueAs: numberValue })} />
      </Field>
    </div>
  );
}
