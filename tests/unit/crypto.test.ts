import { describe, expect, it } from "vitest";
import { randomBytes } from "node:crypto";
import { decrypt, encrypt, envelopeKeyVersion, parseKeyRing, randomBase62, safeEqual } from "@/server/lib/crypto";
import { hashPassword, verifyPassword } from "@/server/auth/password";

const key = () => randomBytes(32).toString("base64");

describe("AES-256-GCM envelopes", () => {
  it("round-trip and bind to their owner", () => {
    const ring = parseKeyRing(`1:${key()}`);
    const envelope = encrypt('{"api_key":"SG.secret"}', ring, "conn-1");
    expect(envelope).not.toContain("SG.secret");
    expect(decrypt(envelope, ring, "conn-1")).toBe('{"api_key":"SG.secret"}');
    expect(() => decrypt(envelope, ring, "conn-2")).toThrow();
    expect(encrypt("same", ring)).not.toBe(encrypt("same", ring));
  });

  it("detect tampering", () => {
    const ring = parseKeyRing(`1:${key()}`);
    const [v, iv, tag, body] = encrypt("hello world", ring).split(".");
    const flipped = Buffer.from(body!, "base64url");
    flipped[0]! ^= 1;
    expect(() => decrypt([v, iv, tag, flipped.toString("base64url")].join("."), ring)).toThrow();
  });

  it("rotate: new writes use the newest key, old envelopes still decrypt", () => {
    const k1 = key();
    const old = parseKeyRing(`1:${k1}`);
    const envelope = encrypt("secret", old);
    const rotated = parseKeyRing(`1:${k1},2:${key()}`);
    expect(envelopeKeyVersion(envelope)).toBe(1);
    expect(decrypt(envelope, rotated)).toBe("secret");
    const fresh = encrypt("secret", rotated);
    expect(envelopeKeyVersion(fresh)).toBe(2);
    expect(() => decrypt(fresh, old)).toThrow(/unknown key version v2/);
  });

  it("refuse malformed key rings with a clear message", () => {
    expect(() => parseKeyRing("1:short")).toThrow(/32 bytes/);
    expect(() => parseKeyRing("abc")).toThrow(/<version>:<base64 key>/);
    expect(() => parseKeyRing("")).toThrow(/no key/);
  });
});

describe("tokens and comparisons", () => {
  it("randomBase62 is uniform-ish and the right length", () => {
    const s = randomBase62(20_000);
    expect(s).toHaveLength(20_000);
    const counts = new Map<string, number>();
    for (const c of s) counts.set(c, (counts.get(c) ?? 0) + 1);
    expect(counts.size).toBe(62);
    for (const n of counts.values()) expect(n).toBeGreaterThan(200);
  });

  it("safeEqual compares exactly", () => {
    expect(safeEqual("abc", "abc")).toBe(true);
    expect(safeEqual("abc", "abd")).toBe(false);
    expect(safeEqual("abc", "abcd")).toBe(false);
  });
});

describe("passwords", () => {
  it("hash with scrypt and verify", async () => {
    const hash = await hashPassword("correct horse battery");
    expect(hash).toMatch(/^scrypt\$32768\$8\$1\$/);
    expect(await verifyPassword("correct horse battery", hash)).toBe(true);
    expect(await verifyPassword("correct horse batterY", hash)).toBe(false);
    expect(await hashPassword("correct horse battery")).not.toBe(hash);
  });
});
