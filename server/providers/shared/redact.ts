import type { ProviderConnectionConfig } from "../types";

const MAX_REASON_LENGTH = 300;

/**
 * Provider messages go into ProviderError.reason, which is stored and shown. Strip anything that looks
 * like the connection's own secrets (some APIs echo a token back) and keep it to one short line.
 */
export function safeText(text: string, connection: ProviderConnectionConfig): string {
  let result = text.replace(/\s+/g, " ").trim();
  for (const secret of [connection.credentials.apiKey, connection.credentials.secret]) {
    if (secret && secret.length >= 4) result = result.split(secret).join("[redacted]");
  }
  return result.length > MAX_REASON_LENGTH ? `${result.slice(0, MAX_REASON_LENGTH - 1)}…` : result;
}
