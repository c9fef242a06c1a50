/**
 * Hashing, random tokens, constant-time comparison and AES-256-GCM envelopes under a versioned key ring.
 * Pure: keys are passed in, never read from the environment here.
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes, timingSafeEqual } from "node:crypto";

export function sha256Hex(value: string): string {
  return createHash("sha256").update(value).digest("hex");
}

const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/** A uniformly random base62 string of `length` characters (rejection sampling, no modulo bias). */
export function randomBase62(length: number): string {
  let out = "";
  while (out.length < length) {
    for (const byte of randomBytes(length * 2)) {
      if (byte < 248) out += BASE62[byte % 62];
      if (out.length === length) break;
    }
  }
  return out;
}

/** Constant-time equality of two strings (lengths are compared via digests, so they leak nothing). */
export function safeEqual(a: string, b: string): boolean {
  const da = createHash("sha256").update(a).digest();
  const db = createHash("sha256").update(b).digest();
  return timingSafeEqual(da, db) && a.length === b.length;
}

export interface KeyRing {
  /** The version new envelopes are written with: the highest one. */
  current: number;
  keys: Map<number, Buffer>;
}

/** Parses "1:<base64 32 bytes>,2:<base64 32 bytes>". */
export function parseKeyRing(spec: string): KeyRing {
  const keys = new Map<number, Buffer>();
  for (const part of spec.split(",").map((p) => p.trim()).filter(Boolean)) {
    const match = /^v?(\d+):(.+)$/.exec(part);
    if (!match?.[1] || !match[2]) throw new Error("ENCRYPTION_KEYS: each entry must look like <version>:<base64 key>");
    const key = Buffer.from(match[2], "base64");
    if (key.length !== 32) throw new Error(`ENCRYPTION_KEYS: key version ${match[1]} must be 32 bytes (base64 of 32 random bytes)`);
    keys.set(Number(match[1]), key);
  }
  if (keys.size === 0) throw new Error("ENCRYPTION_KEYS: no key given");
  return { current: Math.max(...keys.keys()), keys };
}

/** "v<version>.<iv>.<tag>.<ciphertext>" in base64url; `aad` binds the envelope to its owner (e.g. a row id). */
export function encrypt(plaintext: string, ring: KeyRing, aad = ""): string {
  const key = ring.keys.get(ring.current)!;
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  cipher.setAAD(Buffer.from(aad));
  const body = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  return ["v" + ring.current, iv.toString("base64url"), cipher.getAuthTag().toString("base64url"), body.toString("base64url")].join(".");
}

export function decrypt(envelope: string, ring: KeyRing, aad = ""): string {
  const [version, iv, tag, body] = envelope.split(".");
  const key = version?.startsWith("v") ? ring.keys.get(Number(version.slice(1))) : undefined;
  if (!key || !iv || !tag || body === undefined) throw new Error(`cannot decrypt: unknown key version ${version ?? "?"}`);
  const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(iv, "base64url"));
  decipher.setAAD(Buffer.from(aad));
  decipher.setAuthTag(Buffer.from(tag, "base64url"));
  return Buffer.concat([decipher.update(Buffer.from(body, "base64url")), decipher.final()]).toString("utf8");
}

export function envelopeKeyVersion(envelope: string): number {
  return Number(envelope.slice(1, envelope.indexOf(".")));
}
