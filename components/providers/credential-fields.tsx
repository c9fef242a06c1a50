"use client";
import { useFormContext } from "react-hook-form";
import type { ProviderName } from "@/server/providers/types";
import type { UpdateProviderConnectionInput } from "@/server/services/provider-connections/schemas";
import { fieldErrorText } from "../common/field-error-text";
import { Checkbox, Input, Select } from "../ui/input";
import { Field } from "../ui/field";
import { PROVIDERS, type CredentialField } from "./provider-catalog";

/** The values the credential fields write into their form (the connect form's and the replace form's). */
export type CredentialValues = Pick<UpdateProviderConnectionInput, CredentialField | "endpoint" | "secure" | "require_tls" | "tls_reject_unauthorized" | SmtpTransportField>;

/** Empty inputs are left out (undefined), so an optional field is "not given" rather than "blank". */
export const textValue = (value: unknown) => (value === "" || value === null ? undefined : value);
export const numberValue = (value: unknown) => (value === "" || value === null || value === undefined ? undefined : Number(value));

/** SMTP's optional transport settings; emptied, a stored one is removed (back to the default). */
export const SMTP_TRANSPORT_FIELDS = ["tls_servername", "tls_min_version", "connection_timeout_ms", "greeting_timeout_ms", "socket_timeout_ms"] as const;
type SmtpTransportField = (typeof SMTP_TRANSPORT_FIELDS)[number];

export const CREDENTIAL_FORM_FIELDS = ["api_key", "secret", "region", "smtp_host", "smtp_port", "endpoint", "secure", "require_tls", "tls_reject_unauthorized", ...SMTP_TRANSPORT_FIELDS] as const;

/**
 * One provider's credential and destination inputs, labelled and explained as in its console. `stored`: the
 * connection holds credentials (the replace form): they are never shown, and an empty input keeps them.
 */
export function CredentialFields({ provider, stored = false }: { provider: ProviderName; stored?: boolean }) {
  const { register, formState } = useFormContext<CredentialValues>();
  const { errors } = formState;
  const info = PROVIDERS[provider];
  return (
    <div className="space-y-4">
      {info.fields.map((name) => {
        const copy = info.copy[name]!;
        const kept = stored && (name === "api_key" || name === "secret");
        const help = kept ? `Set. Leave empty to keep it; type a new one to replace it. ${copy.help}` : copy.help;
        const error = fieldErrorText(copy.label, name, errors[name]);
        if (copy.options) {
          return (
            <Field key={name} label={copy.label} help={help} error={error}>
              <Select {...register(name, { setValueAs: textValue })}>
                {copy.options.map((o) => (
                  <option key={o.value} value={o.value}>
                    {o.label}
                  </option>
                ))}
              </Select>
            </Field>
          );
        }
        if (name === "smtp_port") {
          return (
            <Field key={name} label={copy.label} help={help} error={error}>
              <Input type="number" inputMode="numeric" min={1} max={65535} placeholder={copy.placeholder} className="sm:max-w-40" {...register(name, { setValueAs: numberValue })} />
            </Field>
          );
        }
        return (
          <Field key={name} label={copy.label} help={help} error={error}>
            <Input
              type={copy.secret ? "password" : "text"}
              autoComplete={copy.secret ? "new-password" : "off"}
              spellCheck={false}
              placeholder={kept ? "•••••••• (set)" : copy.placeholder}
              {...register(name, { setValueAs: textValue })}
            />
          </Field>
        );
      })}
      {provider === "smtp" && <SmtpSecurityFields />}
      {info.endpoint && (
        <details className="group rounded-md border border-slate-200 px-3 py-2" open={Boolean(errors.endpoint)}>
          <summary className="cursor-pointer text-sm font-medium text-slate-700">Advanced: API endpoint</summary>
          <Field
            className="mt-3"
            label="API endpoint"
            help={`Leave empty for ${info.label}'s own API. Set a base URL only to go through a proxy or gateway (or a test emulator); internal addresses are refused.`}
            error={fieldErrorText("API endpoint", "endpoint", errors.endpoint)}
          >
            <Input type="url" inputMode="url" spellCheck={false} placeholder="https://…" {...register("endpoint", { setValueAs: textValue })} />
          </Field>
        </details>
      )}
    </div>
  );
}

type SecurityMode = "starttls" | "tls" | "optional";

const SECURITY: Record<SecurityMode, { label: string; secure: boolean; require_tls: boolean | undefined }> = {
  starttls: { label: "STARTTLS, required (recommended; port 587 or 25)", secure: false, require_tls: true },
  tls: { label: "TLS from the first byte (port 465)", secure: true, require_tls: undefined },
  optional: { label: "STARTTLS if offered, else unencrypted (not recommended)", secure: false, require_tls: false },
};

/** SMTP's TLS settings as one choice (secure and require_tls exclude each other) plus self-signed certificates. */
function SmtpSecurityFields() {
  const { watch, setValue, formState } = useFormContext<CredentialValues>();
  const secure = watch("secure");
  const requireTls = watch("require_tls");
  const mode: SecurityMode = secure ? "tls" : requireTls === false ? "optional" : "starttls";
  const { errors } = formState;
  return (
    <>
      <Field
        label="Encryption"
        help="With STARTTLS required, a server that does not offer it fails the send and never sees your password."
        error={fieldErrorText("Encryption", "secure", errors.secure) ?? fieldErrorText("Encryption", "require_tls", errors.require_tls)}
      >
        <Select
          value={mode}
          onChange={(event) => {
            const chosen = SECURITY[event.target.value as SecurityMode];
            setValue("secure", chosen.secure, { shouldDirty: true });
            setValue("require_tls", chosen.require_tls, { shouldDirty: true });
          }}
        >
          {(Object.keys(SECURITY) as SecurityMode[]).map((key) => (
            <option key={key} value={key}>
              {SECURITY[key].label}
            </option>
          ))}
        </Select>
      </Field>
      <div className="space-y-1">
        <label className="flex items-start gap-2 text-sm text-slate-800">
          <Checkbox
            className="mt-0.5"
            checked={watch("tls_reject_unauthorized") === false}
            onChange={(event) => setValue("tls_reject_unauthorized", !event.target.checked, { shouldDirty: true })}
          />
          <span>
            Accept self-signed certificates
            <span className="block text-xs text-slate-500">Only for a relay you run yourself with its own certificate; otherwise the certificate is verified.</span>
          </span>
        </label>
        {errors.tls_reject_unauthorized && <p role="alert" className="text-xs font-medium text-red-600">{fieldErrorText("This setting", "tls_reject_unauthorized", errors.tls_reject_unauthorized)}</p>}
      </div>
      <SmtpTransportFields />
    </>
  );
}

const TIMEOUTS = [
  ["connection_timeout_ms", "Connection timeout (ms)", "How long to wait for the connection to open."],
  ["greeting_timeout_ms", "Greeting timeout (ms)", "How long to wait for the server's greeting once connected."],
  ["socket_timeout_ms", "Socket timeout (ms)", "How long the connection may stay silent during a send."],
] as const;

/** Rarely needed, so folded away: a TLS name for a relay reached by address, TLS 1.3 only, shorter waits. */
function SmtpTransportFields() {
  const { register, formState } = useFormContext<CredentialValues>();
  const { errors } = formState;
  const open = SMTP_TRANSPORT_FIELDS.some((field) => errors[field]);
  return (
    <details className="group rounded-md border border-slate-200 px-3 py-2" open={open}>
      <summary className="cursor-pointer text-sm font-medium text-slate-700">Advanced: TLS name and timeouts</summary>
      <div className="mt-3 space-y-4">
        <Field label="TLS server name" help="The name the certificate is checked against, when the host above is an address or an alias. Leave empty to use the host." error={fieldErrorText("TLS server name", "tls_servername", errors.tls_servername)}>
          <Input type="text" autoComplete="off" spellCheck={false} placeholder="smtp.example.com" {...register("tls_servername", { setValueAs: textValue })} />
        </Field>
        <Field label="Minimum TLS version" error={fieldErrorText("Minimum TLS version", "tls_min_version", errors.tls_min_version)}>
          <Select className="sm:max-w-40" {...register("tls_min_version", { setValueAs: textValue })}>
            <option value="TLSv1.2">TLS 1.2</option>
            <option value="TLSv1.3">TLS 1.3</option>
          </Select>
        </Field>
        {TIMEOUTS.map(([name, label, help]) => (
          <Field key={name} label={label} help={`${help} 1000 to 60000; empty: the default (never longer than the send's own limit).`} error={fieldErrorText(label, name, errors[name])}>
            <Input type="number" inputMode="numeric" min={1000} max={60000} step={500} className="sm:max-w-40" {...register(name, { setValueAs: numberValue })} />
          </Field>
        ))}
      </div>
    </details>
  );
}
