/**
 * A webhook URL may carry credentials for the receiver (`https://user:pass@host/…`, sent as HTTP basic
 * auth). They are the tenant's secret like a signing secret: every answer after the one that created the
 * endpoint shows the URL with them masked, the way provider connections show Postmark's credentials —
 * `user:••••@` (a username alone, often a token, as `••••@`).
 */

export const MASK = "••••";

/** The URL as answers show it: unchanged without userinfo, else with the password (or lone username) masked. */
export function maskUrlUserinfo(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return url;
  }
  if (!parsed.username && !parsed.password) return url;
  const userinfo = parsed.password ? `${parsed.username}:${MASK}` : MASK;
  return `${parsed.protocol}//${userinfo}@${parsed.host}${parsed.pathname}${parsed.search}${parsed.hash}`;
}

/**
 * Whether a URL sent in an update is the masked form of the stored one (a client that read the endpoint
 * and sends it back): then the stored URL, credentials included, is kept instead of storing the mask.
 */
export function isMaskedFormOf(candidate: string, stored: string): boolean {
  const masked = maskUrlUserinfo(stored);
  return masked !== stored && candidate === masked;
}
