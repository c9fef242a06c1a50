/** The raw API key format: cxk_<mode>_<32 base62 chars> (≈190 bits of randomness). Only its SHA-256 is stored. */
import { randomBase62, sha256Hex } from "../lib/crypto";

export type ApiKeyModeName = "live" | "test";

const RANDOM_LENGTH = 32;
const PREFIX_RANDOM_CHARS = 6;
const KEY_PATTERN = /^cxk_(live|test)_[0-9A-Za-z]{32}$/;

export function generateApiKey(mode: ApiKeyModeName): { rawKey: string; prefix: string; keyHash: string } {
  const rawKey = `cxk_${mode}_${randomBase62(RANDOM_LENGTH)}`;
  return { rawKey, prefix: rawKey.slice(0, `cxk_${mode}_`.length + PREFIX_RANDOM_CHARS), keyHash: hashApiKey(rawKey) };
}

export function hashApiKey(rawKey: string): string {
  return sha256Hex(rawKey);
}

export function isApiKeyFormat(token: string): boolean {
  return KEY_PATTERN.test(token);
}
