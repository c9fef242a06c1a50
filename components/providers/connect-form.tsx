"use client";
import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { FormProvider, useForm } from "react-hook-form";
import type { z } from "zod";
import type { ProviderName } from "@/server/providers/types";
import { createProviderConnectionInput } from "@/server/services/provider-connections/schemas";
import { useTRPC } from "@/trpc/client";
import { applyValidationErrors } from "../common/validation-errors";
import { Button } from "../ui/button";
import { Card, CardBody, CardHeader } from "../ui/card";
import { Checkbox } from "../ui/input";
import { FormError } from "../ui/field";
import { CREDENTIAL_FORM_FIELDS, CredentialFields } from "./credential-fields";
import { PROVIDERS } from "./provider-catalog";
import { SecretForm } from "./secret-form";
import { ROUTING_FORM_FIELDS, RoutingFields } from "./routing-fields";
import type { ConnectionView } from "./types";

type Values = z.input<typeof createProviderConnectionInput>;

const FORM_FIELDS = [...CREDENTIAL_FORM_FIELDS, ...ROUTING_FORM_FIELDS, "enabled", "provider"] as const;

/** The form's starting values: what the schema defaults to, SMTP on the submission port with STARTTLS required. */
function initialValues(provider: ProviderName, priority: number): Values {
  const base: Values = { provider, priority, weight: 1, enabled: true };
  if (provider === "mailgun") return { ...base, region: "us" };
  if (provider === "smtp") return { ...base, smtp_port: 587, secure: false, require_tls: true, tls_reject_unauthorized: true };
  return base;
}

/**
 * Connect one provider: its own fields only (the schema refuses the others), checked by the service's schema
 * in the browser, then by the service (what the provider requires, where credentials may go). The server
 * verifies the credentials with the provider; the answer carries the result.
 */
export function ConnectForm({ provider, nextPriority, onConnected }: { provider: ProviderName; nextPriority: number; onConnected: (connection: ConnectionView) => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const info = PROVIDERS[provider];
  const [formError, setFormError] = useState<string | null>(null);
  const form = useForm<Values, unknown, z.output<typeof createProviderConnectionInput>>({
    resolver: zodResolver(createProviderConnectionInput),
    defaultValues: initialValues(provider, nextPriority),
  });
  const create = useMutation(
    trpc.providerConnections.create.mutationOptions({
      onSuccess: async (connection) => {
        await queryClient.invalidateQueries({ queryKey: trpc.providerConnections.list.queryKey() });
        onConnected(connection);
      },
      onError: (error) => setFormError(applyValidationErrors(error, form.setError, FORM_FIELDS)),
    }),
  );

  return (
    <FormProvider {...form}>
      <SecretForm
        className="space-y-6"
        onSubmit={form.handleSubmit((values) => {
          setFormError(null);
          create.mutate(values);
        })}
      >
        <FormError message={formError} />
        <Card>
          <CardHeader title={`${info.label} credentials`} description="Encrypted at rest and never shown again: later you can only replace them." />
          <CardBody>
            <CredentialFields provider={provider} />
          </CardBody>
        </Card>
        <Card>
          <CardHeader title="Routing" description="Where this connection stands when CourierX picks a provider for a send." />
          <CardBody className="space-y-4">
            <RoutingFields defaultName={info.label} />
            <label className="flex items-start gap-2 text-sm text-slate-800">
              <Checkbox className="mt-0.5" {...form.register("enabled")} />
              <span>
                Enabled
                <span className="block text-xs text-slate-500">Sends may use it as soon as it is connected. Leave off to connect it as a spare.</span>
              </span>
            </label>
          </CardBody>
        </Card>
        <div className="flex flex-wrap items-center justify-end gap-3">
          {create.isPending && <p className="text-sm text-slate-500" role="status">Checking the credentials with {info.label}…</p>}
          <Button type="submit" pending={create.isPending}>
            Connect {info.label}
          </Button>
        </div>
      </SecretForm>
    </FormProvider>
  );
}
