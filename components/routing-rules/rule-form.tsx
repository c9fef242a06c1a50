"use client";
import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation, useQueryClient, useSuspenseQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { FormProvider, useForm } from "react-hook-form";
import { toast } from "sonner";
import type { z } from "zod";
import { createRoutingRuleInput } from "@/server/services/routing/schemas";
import { useTRPC } from "@/trpc/client";
import { EmptyState } from "../common/empty-state";
import { fieldErrorText } from "../common/field-error-text";
import { applyValidationErrors } from "../common/validation-errors";
import { Button, buttonClasses } from "../ui/button";
import { Card, CardBody, CardHeader } from "../ui/card";
import { Field, FormError } from "../ui/field";
import { Checkbox, Input } from "../ui/input";
import { ListField } from "./list-input";
import { STRATEGIES, STRATEGY_ORDER } from "./rule-copy";
import { RuleTargetsField } from "./rule-targets-field";
import type { RuleView } from "./types";

type Values = z.input<typeof createRoutingRuleInput>;

/** Where server errors may land: each field, and each connection row ("providers.0.connection_id is not one of …"). */
const FORM_FIELDS = [
  ...(["name", "conditions.from_domains", "conditions.tags", "conditions", "strategy", "providers", "enabled", "position"] as const),
  ...Array.from({ length: 20 }, (_, i) => [`providers.${i}.connection_id`, `providers.${i}.weight`] as const).flat(),
];

function initialValues(rule: RuleView | undefined, firstConnection: { id: string; weight: number } | undefined): Values {
  if (!rule) {
    return { name: "", conditions: { from_domains: [], tags: [] }, strategy: "priority", providers: firstConnection ? [{ connection_id: firstConnection.id, weight: firstConnection.weight }] : [], enabled: true };
  }
  return {
    name: rule.name,
    conditions: { from_domains: rule.conditions.from_domains, tags: rule.conditions.tags },
    strategy: rule.strategy,
    providers: rule.providers.map((t) => ({ connection_id: t.connection_id, weight: t.weight })),
    enabled: rule.enabled,
    position: rule.position,
  };
}

/**
 * Create (no `rule`) or edit a routing rule, checked by createRoutingRuleInput in the browser (an edit sends
 * every field, so the same schema applies) and by the service (the connections must be this account's).
 */
export function RuleForm({ rule }: { rule?: RuleView }) {
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const { data: connections } = useSuspenseQuery(trpc.providerConnections.list.queryOptions({ page: 1, per_page: 100 }));
  const [formError, setFormError] = useState<string | null>(null);
  const form = useForm<Values, unknown, z.output<typeof createRoutingRuleInput>>({
    resolver: zodResolver(createRoutingRuleInput),
    defaultValues: initialValues(rule, connections.items[0]),
  });
  const { register, control, formState } = form;
  const { errors } = formState;
  const onError = (error: unknown) => setFormError(applyValidationErrors(error, form.setError, FORM_FIELDS));
  const done = async (saved: RuleView, verb: string) => {
    await queryClient.invalidateQueries({ queryKey: trpc.routingRules.list.queryKey() });
    queryClient.setQueryData(trpc.routingRules.get.queryKey({ id: saved.id }), saved);
    toast.success(`Routing rule “${saved.name}” ${verb}`);
    router.push("/routing-rules");
  };
  const create = useMutation(trpc.routingRules.create.mutationOptions({ onSuccess: (saved) => done(saved, "created"), onError }));
  const update = useMutation(trpc.routingRules.update.mutationOptions({ onSuccess: (saved) => done(saved, "saved"), onError }));

  if (connections.total === 0 && !rule) {
    return (
      <Card>
        <EmptyState
          title="Connect a provider first"
          description="A rule sends emails through chosen provider connections: connect at least one."
          action={
            <Link href="/providers/new" className={buttonClasses()}>
              Connect a provider
            </Link>
          }
        />
      </Card>
    );
  }
  return (
    <FormProvider {...form}>
      <form
        noValidate
        className="space-y-6"
        onSubmit={form.handleSubmit((values) => {
          setFormError(null);
          if (rule) update.mutate({ id: rule.id, data: values });
          else create.mutate(values);
        })}
      >
        <FormError message={formError} />
        <Card>
          <CardHeader title="Rule" />
          <CardBody className="grid gap-4 sm:grid-cols-2">
            <Field className="sm:col-span-2" label="Name" help="What the rule is for, e.g. “Billing mail through SES”." error={fieldErrorText("Name", "name", errors.name)}>
              <Input autoComplete="off" maxLength={100} {...register("name")} />
            </Field>
            <Field label="Order" help="Rules are checked from the lowest order up; the first enabled rule that matches decides. Empty: after the existing rules." error={fieldErrorText("Order", "position", errors.position)}>
              <Input type="number" inputMode="numeric" min={0} max={10000} {...register("position", { setValueAs: (v) => (v === "" || v === null || v === undefined ? undefined : Number(v)) })} />
            </Field>
            <label className="flex items-start gap-2 self-center text-sm text-slate-800">
              <Checkbox className="mt-0.5" {...register("enabled")} />
              <span>
                Enabled
                <span className="block text-xs text-slate-500">A disabled rule is skipped.</span>
              </span>
            </label>
          </CardBody>
        </Card>
        <Card>
          <CardHeader title="Matches" description="Leave both empty to match every email. With both, an email must match both." />
          <CardBody className="grid gap-4 sm:grid-cols-2">
            <Field label="Sender domains" help="The domain of the from address, exactly (comma-separated): yourapp.com, mail.yourapp.com." error={fieldErrorText("Sender domains", "conditions.from_domains", errors.conditions?.from_domains)}>
              <ListField control={control} name="conditions.from_domains" split={/[,\s]+/} placeholder="yourapp.com" autoComplete="off" spellCheck={false} />
            </Field>
            <Field label="Tags" help="At least one of these tags on the email (comma-separated): billing, receipts." error={fieldErrorText("Tags", "conditions.tags", errors.conditions?.tags)}>
              <ListField control={control} name="conditions.tags" placeholder="billing" autoComplete="off" />
            </Field>
          </CardBody>
        </Card>
        <Card>
          <CardHeader title="Route" />
          <CardBody className="space-y-5">
            <fieldset className="space-y-2">
              <legend className="text-sm font-medium text-slate-800">Strategy</legend>
              <div className="grid gap-2 sm:grid-cols-2">
                {STRATEGY_ORDER.map((value) => (
                  <label key={value} className="flex cursor-pointer items-start gap-3 rounded-md border border-slate-200 px-3 py-2.5 has-checked:border-indigo-500 has-checked:bg-indigo-50/50">
                    <input type="radio" value={value} className="mt-0.5 size-4 text-indigo-600 focus:ring-indigo-500" {...register("strategy")} />
                    <span>
                      <span className="block text-sm font-medium text-slate-900">{STRATEGIES[value].label}</span>
                      <span className="block text-xs text-slate-500">{STRATEGIES[value].help}</span>
                    </span>
                  </label>
                ))}
              </div>
              {errors.strategy && (
                <p role="alert" className="text-xs font-medium text-red-600">
                  {fieldErrorText("Strategy", "strategy", errors.strategy)}
                </p>
              )}
            </fieldset>
            <RuleTargetsField connections={connections.items} />
          </CardBody>
        </Card>
        <div className="flex flex-wrap justify-end gap-2">
          <Link href="/routing-rules" className={buttonClasses("secondary")}>
            Cancel
          </Link>
          <Button type="submit" pending={create.isPending || update.isPending}>
            {rule ? "Save rule" : "Create rule"}
          </Button>
        </div>
      </form>
    </FormProvider>
  );
}
