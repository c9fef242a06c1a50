"use client";
import { useFieldArray, useFormContext } from "react-hook-form";
import type { z } from "zod";
import type { createRoutingRuleInput } from "@/server/services/routing/schemas";
import { fieldErrorText } from "../common/field-error-text";
import { providerLabel } from "../providers/provider-catalog";
import type { ConnectionView } from "../providers/types";
import { Button } from "../ui/button";
import { Input, Select } from "../ui/input";

type Values = z.input<typeof createRoutingRuleInput>;

/**
 * The rule's connections in the order they are tried: each picked by name, with a weight for the weighted
 * strategy, moved up or down, removed. A new row takes the first connection not listed yet, with its weight.
 */
export function RuleTargetsField({ connections }: { connections: readonly ConnectionView[] }) {
  const { control, register, watch, formState } = useFormContext<Values>();
  const { fields, append, remove, move } = useFieldArray({ control, name: "providers" });
  const weighted = watch("strategy") === "weighted";
  const chosen = watch("providers") ?? [];
  const unused = connections.filter((c) => !chosen.some((t) => t.connection_id === c.id));
  const errors = formState.errors.providers;
  const listError = fieldErrorText("Connections", "providers", errors?.root ?? (errors?.message ? errors : undefined));

  return (
    <fieldset className="space-y-3" aria-describedby="rule-targets-help">
      <legend className="text-sm font-medium text-slate-800">Connections, in the order they are tried</legend>
      <p id="rule-targets-help" className="text-xs text-slate-500">
        {weighted ? "The first attempt is drawn by weight (0 never goes first); failover then follows this order." : "Failover follows this order."} Disabled connections are skipped.
      </p>
      <ol className="space-y-2">
        {fields.map((field, index) => {
          const rowErrors = errors?.[index];
          const pickError = fieldErrorText("Connection", `providers.${index}.connection_id`, rowErrors?.connection_id);
          const weightError = fieldErrorText("Weight", `providers.${index}.weight`, rowErrors?.weight);
          return (
            <li key={field.id} className="rounded-md border border-slate-200 p-3">
              <div className="flex flex-wrap items-end gap-2">
                <span aria-hidden className="pb-2.5 text-sm text-slate-400 tabular-nums">
                  {index + 1}.
                </span>
                <label className="min-w-48 flex-1 space-y-1">
                  <span className="block text-xs font-medium text-slate-600">Connection {index + 1}</span>
                  {/* Named by aria-label: a wrapping label's name would include the chosen option's text. */}
                  <Select aria-label={`Connection ${index + 1}`} aria-invalid={pickError ? true : undefined} {...register(`providers.${index}.connection_id`)}>
                    <option value="">Choose a connection…</option>
                    {connections.map((c) => (
                      <option key={c.id} value={c.id} disabled={c.id !== chosen[index]?.connection_id && chosen.some((t) => t.connection_id === c.id)}>
                        {c.display_name} ({providerLabel(c.provider)}){c.enabled ? "" : " · disabled"}
                      </option>
                    ))}
                  </Select>
                </label>
                {weighted && (
                  <label className="w-24 space-y-1">
                    <span className="block text-xs font-medium text-slate-600">Weight {index + 1}</span>
                    <Input type="number" inputMode="numeric" min={0} max={1000} aria-label={`Weight ${index + 1}`} aria-invalid={weightError ? true : undefined} {...register(`providers.${index}.weight`, { valueAsNumber: true })} />
                  </label>
                )}
                <div className="flex gap-1">
                  <Button size="sm" variant="ghost" aria-label={`Move connection ${index + 1} up`} disabled={index === 0} onClick={() => move(index, index - 1)}>
                    ↑
                  </Button>
                  <Button size="sm" variant="ghost" aria-label={`Move connection ${index + 1} down`} disabled={index === fields.length - 1} onClick={() => move(index, index + 1)}>
                    ↓
                  </Button>
                  <Button size="sm" variant="ghost" className="text-red-700 hover:bg-red-50" aria-label={`Remove connection ${index + 1}`} onClick={() => remove(index)}>
                    Remove
                  </Button>
                </div>
              </div>
              {(pickError || weightError) && (
                <p role="alert" className="mt-1.5 text-xs font-medium text-red-600">
                  {[pickError, weightError].filter(Boolean).join(" ")}
                </p>
              )}
            </li>
          );
        })}
      </ol>
      {listError && (
        <p role="alert" className="text-xs font-medium text-red-600">
          {listError}
        </p>
      )}
      <Button
        variant="secondary"
        size="sm"
        disabled={unused.length === 0 || fields.length >= 20}
        onClick={() => append({ connection_id: unused[0]?.id ?? "", weight: unused[0]?.weight ?? 1 })}
      >
        Add a connection
      </Button>
    </fieldset>
  );
}
