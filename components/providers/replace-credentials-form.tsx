"use client";
import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { FormProvider, useForm } from "react-hook-form";
import { toast } from "sonner";
import type { z } from "zod";
import type { ProviderName } from "@/server/providers/types";
import { updateProviderConnectionInput, type UpdateProviderConnectionInput } from "@/server/services/provider-connections/schemas";
import { useTRPC } from "@/trpc/client";
import { applyValidationErrors } from "../common/validation-errors";
import { Button } from "../ui/button";
import { FormError } from "../ui/field";
import { CREDENTIAL_FORM_FIELDS, CredentialFields, SMTP_TRANSPORT_FIELDS, type CredentialValues } from "./credential-fields";
import { SecretForm } from "./secret-form";
import type { ConnectionView } from "./types";
import { useRefreshConnections } from "./use-refresh-connections";

type Values = z.input<typeof updateProviderConnectionInput>;

/** The destination as stored (credentials never come back: their inputs start empty). */
function storedValues(connection: ConnectionView): CredentialValues {
  return {
    region: connection.region ?? undefined,
    smtp_host: connection.smtp_host ?? undefined,
    smtp_port: connection.smtp_port ?? undefined,
    endpoint: connection.endpoint ?? undefined,
    ...("secure" in connection
      ? {
          secure: connection.secure,
          require_tls: connection.require_tls,
          tls_reject_unauthorized: connection.tls_reject_unauthorized,
          tls_servername: connection.tls_servername ?? undefined,
          tls_min_version: connection.tls_min_version,
          connection_timeout_ms: connection.connection_timeout_ms ?? undefined,
          greeting_timeout_ms: connection.greeting_timeout_ms ?? undefined,
          socket_timeout_ms: connection.socket_timeout_ms ?? undefined,
        }
      : {}),
  };
}

/** Fields whose emptied input removes the stored value. */
const REMOVABLE: readonly string[] = ["endpoint", ...SMTP_TRANSPORT_FIELDS];

/**
 * Only what changed is sent: typed credentials, and settings that differ from the stored ones (an emptied
 * endpoint removes the override). The service refuses a new destination without the credentials again.
 */
function changes(values: UpdateProviderConnectionInput, stored: CredentialValues): UpdateProviderConnectionInput {
  const data: Record<string, unknown> = {};
  for (const field of CREDENTIAL_FORM_FIELDS) {
    const value = values[field];
    const before = stored[field];
    if (field === "api_key" || field === "secret") {
      if (value !== undefined) data[field] = value;
    } else if (REMOVABLE.includes(field) && value === undefined && before !== undefined) data[field] = null;
    else if (value !== undefined && value !== before) data[field] = value;
  }
  return data as UpdateProviderConnectionInput;
}

/** New credentials or a new destination; the connection is verified again with the provider. */
export function ReplaceCredentialsForm({ connection, onDone }: { connection: ConnectionView; onDone: () => void }) {
  const trpc = useTRPC();
  const refresh = useRefreshConnections();
  const stored = storedValues(connection);
  const [formError, setFormError] = useState<string | null>(null);
  const form = useForm<Values, unknown, z.output<typeof updateProviderConnectionInput>>({
    resolver: zodResolver(updateProviderConnectionInput),
    defaultValues: stored,
  });
  const update = useMutation(
    trpc.providerConnections.update.mutationOptions({
      onSuccess: async (updated) => {
        await refresh(updated);
        if (updated.verification.status === "verified") toast.success("Credentials replaced and verified");
        else toast.warning(`Credentials replaced, but not verified: ${updated.verification.message ?? "no answer"}`);
        onDone();
      },
      onError: (error) => setFormError(applyValidationErrors(error, form.setError, CREDENTIAL_FORM_FIELDS)),
    }),
  );
  return (
    <FormProvider {...form}>
      <SecretForm
        className="space-y-4"
        onSubmit={form.handleSubmit((values) => {
          const data = changes(values, stored);
          if (Object.keys(data).length === 0) {
            setFormError("Nothing changed: type new credentials or change a setting.");
            return;
          }
          setFormError(null);
          update.mutate({ id: connection.id, data });
        })}
      >
        <FormError message={formError} />
        <CredentialFields provider={connection.provider as ProviderName} stored={connection.credentials_hint !== ""} />
        <p className="text-xs text-slate-500">Changing where the credentials go (host, port, region, domain, endpoint, encryption) needs the credentials typed again.</p>
        <div className="flex flex-wrap justify-end gap-2">
          <Button variant="secondary" onClick={onDone}>
            Cancel
          </Button>
          <Button type="submit" pending={update.isPending}>
            Save and verify
          </Button>
        </div>
      </SecretForm>
    </FormProvider>
  );
}
