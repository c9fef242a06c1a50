/**
 * Provider credentials at rest: AES-256-GCM under the newest key of the ring, bound to the connection id
 * (an envelope copied onto another row does not decrypt). Only masked hints ever leave this module.
 */
import type { ProviderConnection } from "../../db";
import { getSecrets } from "../../env";
import { decrypt, encrypt } from "../../lib/crypto";
import type { ProviderConnectionConfig, ProviderName } from "../../providers/types";
import { currentOutboundGuard } from "./check-outbound";
import type { ConnectionFields } from "./schemas";

export interface StoredCredentials {
  api_key?: string;
  secret?: string;
}

export type StoredSettings = Omit<ConnectionFields, "api_key" | "secret">;

export function sealCredentials(connectionId: string, credentials: StoredCredentials): string {
  return encrypt(JSON.stringify(credentials), getSecrets().keyRing, `provider-connection:${connectionId}`);
}

export function openCredentials(row: Pick<ProviderConnection, "id" | "credentialsEncrypted">): StoredCredentials {
  return JSON.parse(decrypt(row.credentialsEncrypted, getSecrets().keyRing, `provider-connection:${row.id}`)) as StoredCredentials;
}

/** "SG.…f3a9": enough to tell keys apart, never enough to use one. */
export function maskSecret(value: string): string {
  // By code point, so a hint never cuts a surrogate pair in half (which PGlite refuses to store).
  const chars = Array.from(value);
  if (chars.length <= 8) return "…";
  const head = chars.length >= 16 ? chars.slice(0, 3).join("") : "";
  return `${head}…${chars.slice(-4).join("")}`;
}

export function credentialsHint(credentials: StoredCredentials): string {
  return [credentials.api_key && maskSecret(credentials.api_key), credentials.secret && "secret …••"]
    .filter(Boolean)
    .join(" / ");
}

/** What an adapter needs to send: decrypted credentials and typed settings. */
export function toProviderConfig(row: ProviderConnection): ProviderConnectionConfig {
  const credentials = openCredentials(row);
  const s = row.settings as StoredSettings;
  const provider = row.provider as ProviderName;
  return {
    id: row.id,
    provider,
    credentials: { apiKey: credentials.api_key ?? "", ...(credentials.secret !== undefined ? { secret: credentials.secret } : {}) },
    settings: {
      ...(s.region !== undefined ? { region: s.region } : {}),
      ...(provider === "mailgun" && s.smtp_host ? { domain: s.smtp_host } : {}),
      ...(provider === "smtp" && s.smtp_host ? { smtpHost: s.smtp_host } : {}),
      ...(s.smtp_port !== undefined ? { smtpPort: s.smtp_port } : {}),
      ...(s.secure !== undefined ? { secure: s.secure } : {}),
      ...(s.require_tls !== undefined ? { requireTls: s.require_tls } : {}),
      ...(s.tls_reject_unauthorized !== undefined ? { tlsRejectUnauthorized: s.tls_reject_unauthorized } : {}),
      ...(s.tls_servername ? { tlsServername: s.tls_servername } : {}),
      ...(s.tls_min_version ? { tlsMinVersion: s.tls_min_version } : {}),
      ...(s.connection_timeout_ms ? { connectionTimeoutMs: s.connection_timeout_ms } : {}),
      ...(s.greeting_timeout_ms ? { greetingTimeoutMs: s.greeting_timeout_ms } : {}),
      ...(s.socket_timeout_ms ? { socketTimeoutMs: s.socket_timeout_ms } : {}),
      ...(s.endpoint ? { endpoint: s.endpoint } : {}),
    },
    outbound: currentOutboundGuard(),
    updatedAt: row.updatedAt,
  };
}
