import type { ApiKey } from "../../db";

/** Never the hash; the raw key only in the creation response. */
export function presentApiKey(key: ApiKey, rawKey?: string) {
  return {
    id: key.id,
    name: key.name,
    mode: key.mode,
    prefix: key.prefix,
    ...(rawKey ? { raw_key: rawKey } : {}),
    status: key.revokedAt ? "revoked" : "active",
    last_used_at: key.lastUsedAt?.toISOString() ?? null,
    revoked_at: key.revokedAt?.toISOString() ?? null,
    created_at: key.createdAt.toISOString(),
  };
}
