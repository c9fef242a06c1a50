/**
 * `X-Inngest-Signature` as Inngest Cloud computes it, so the SDK (in cloud mode) verifies the local
 * engine's calls on the same path as production: HMAC-SHA256 over the JCS-canonical JSON of the body
 * followed by the unix timestamp, keyed with the signing key minus its `signkey-<env>-` prefix.
 */
import { createHmac } from "node:crypto";
import canonicalize from "canonicalize";

/**
 * The body is sent in its canonical form: the SDK parses it and canonicalizes again to check the
 * signature, which then reproduces these exact bytes (one serialization per call instead of two).
 */
export function canonicalJson(value: unknown): string {
  const text = canonicalize(value);
  if (text === undefined) throw new Error("cannot serialize the call body");
  return text;
}

export function signatureHeader(canonicalBody: string, signingKey: string, nowMs: number = Date.now()): string {
  const t = Math.floor(nowMs / 1000).toString();
  const key = signingKey.replace(/^signkey-\w+-/, "");
  const s = createHmac("sha256", key).update(canonicalBody).update(t).digest("hex");
  return `t=${t}&s=${s}`;
}
