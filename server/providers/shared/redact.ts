import type { ProviderConnectionConfig } from "../types";

const MAX_REASON_LENGTH = 300;

/**
 * Provider messages go into ProviderError.reason, which is stored and shown. Strip anything that looks
 * like the connection's own secrets (some APIs echo a token back), and any a message's override brought,
 * and keep it to one short line.
 */
export function safeText(text: string, connection: ProviderConnectionConfig): string {
  let result = text.replace(/\s+/g, " ").trim();
  // Longest first, so that a secret containing another is removed whole.
  const secrets = [connection.credentials.apiKey, connection.credentials.secret, ...(connection.redactAlso ?? [])].sort((a, b) => (b?.length ?? 0) - (a?.length ?? 0));
  for (const secret of secrets) {
    if (secret && secret.length >= 4) result = result.split(secret).join("[redacted]");
  }
  return result.length > MAX_REASON_LENGTH ? `${result.slice(0, MAX_REASON_LENGTH - 1)}…` : result;
}
