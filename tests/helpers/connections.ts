import type { Emulators } from "../emulators";
import type { ProviderName } from "@/server/providers/types";

/** The REST body that connects `provider` to its emulator with valid credentials. */
export function connectionBody(emulators: Emulators, provider: ProviderName, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const c = emulators.connection(provider);
  const s = c.settings;
  const body: Record<string, unknown> = {
    provider,
    display_name: `${provider} (emulator)`,
    api_key: c.credentials.apiKey,
    ...(c.credentials.secret !== undefined ? { secret: c.credentials.secret } : {}),
    ...(s.region !== undefined ? { region: s.region } : {}),
    ...(s.domain !== undefined ? { smtp_host: s.domain } : {}),
    ...(s.endpoint !== undefined ? { endpoint: s.endpoint } : {}),
  };
  if (provider === "smtp") {
    Object.assign(body, { smtp_host: s.smtpHost, smtp_port: s.smtpPort, secure: s.secure, require_tls: s.requireTls, tls_reject_unauthorized: s.tlsRejectUnauthorized });
  }
  if (provider === "mailgun") body.region = "us";
  return { ...body, ...extra };
}

/** Every secret value a connection body carries, to scan responses and logs for. */
export function secretsOf(body: Record<string, unknown>): string[] {
  return [body.api_key, body.secret].filter((v): v is string => typeof v === "string");
}
