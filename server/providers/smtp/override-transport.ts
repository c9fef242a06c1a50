import type { ProviderConnectionConfig, ProviderConnectionSettings, SmtpTransportOverride } from "../types";

/** Settings that decide where (and how safely) credentials go: any change means a new destination. */
const DESTINATION_SETTINGS = ["smtpHost", "smtpPort", "secure", "requireTls", "tlsRejectUnauthorized", "tlsServername", "tlsMinVersion"] as const;

/**
 * The stored connection with one message's transport override laid over it (the seed's
 * `providers.smtp.override.config`). The result is a connection like any other, so the transport is built
 * by the same smtpTransportOptions: the same outbound guard on every socket, the same TLS defaults.
 *
 * Stored credentials never go to a new destination (the rule of updateProviderConnection): an override
 * that changes the host, port or TLS settings without its own auth connects without authentication.
 * Its credentials become the connection's, so safeText redacts them from every reason; the stored ones
 * are redacted too.
 */
export function connectionWithOverride(connection: ProviderConnectionConfig, override: SmtpTransportOverride): ProviderConnectionConfig {
  const settings: ProviderConnectionSettings = { ...connection.settings };
  const set = <K extends keyof ProviderConnectionSettings>(key: K, value: ProviderConnectionSettings[K] | undefined) => {
    if (value !== undefined) settings[key] = value;
  };
  set("smtpHost", override.host);
  set("smtpPort", override.port);
  if (override.secure !== undefined && override.secure !== connection.settings.secure) {
    settings.secure = override.secure;
    // The stored STARTTLS choice belonged to the stored TLS mode.
    if (override.requireTLS === undefined) delete settings.requireTls;
  }
  set("requireTls", override.requireTLS);
  set("tlsRejectUnauthorized", override.tls?.rejectUnauthorized);
  set("tlsServername", override.tls?.servername);
  set("tlsMinVersion", override.tls?.minVersion);
  set("connectionTimeoutMs", override.connectionTimeout);
  set("greetingTimeoutMs", override.greetingTimeout);
  set("socketTimeoutMs", override.socketTimeout);

  const newDestination = DESTINATION_SETTINGS.some((key) => settings[key] !== connection.settings[key]);
  const stored = connection.credentials;
  const credentials = override.auth ? { apiKey: override.auth.user, secret: override.auth.pass } : newDestination ? { apiKey: "" } : stored;
  return {
    ...connection,
    credentials,
    settings,
    redactAlso: [...(connection.redactAlso ?? []), stored.apiKey, ...(stored.secret ? [stored.secret] : [])],
  };
}
