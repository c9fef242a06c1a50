import { generateApiKey } from "../../auth/api-key-format";
import { getDb } from "../../db";
import type { CreateApiKeyInput } from "./schemas";

/** Returns the row and the raw key; the raw key is never stored and cannot be shown again. */
export async function createApiKey(tenantId: string, input: CreateApiKeyInput) {
  const db = await getDb();
  const { rawKey, prefix, keyHash } = generateApiKey(input.mode);
  const apiKey = await db.apiKey.create({ data: { tenantId, name: input.name, mode: input.mode, prefix, keyHash } });
  return { apiKey, rawKey };
}
