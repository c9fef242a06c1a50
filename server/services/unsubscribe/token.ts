/**
 * One-click unsubscribe links (RFC 8058): a token naming the tenant, the recipient and the email, signed with
 * an HMAC-SHA256 under a key derived from the app's JWT secret (HKDF, its own label, so the key signs nothing
 * else). The token carries what it signs, so a link keeps working after its email has been pruned; a token
 * whose signature does not match changes nothing.
 *
 *   v1.<base64url(tenant uuid ‖ email uuid)>.<base64url(recipient)>.<base64url(hmac)>
 */
import { createHmac, hkdfSync } from "node:crypto";
import { getSecrets } from "../../env";
import { safeEqual } from "../../lib/crypto";
import { isUuid } from "../../lib/ids";

export interface UnsubscribeTarget {
  tenantId: string;
  emailId: string;
  /** Lower-case. */
  recipient: string;
}

const VERSION = "v1";
const MAX_TOKEN_LENGTH = 1024;

let cachedKey: { secret: Uint8Array; key: Buffer } | undefined;

function signingKey(): Buffer {
  const secret = getSecrets().jwtSecret;
  if (cachedKey?.secret !== secret) cachedKey = { secret, key: Buffer.from(hkdfSync("sha256", secret, new Uint8Array(0), "courierx one-click unsubscribe v1", 32)) };
  return cachedKey.key;
}

function signature(target: UnsubscribeTarget): string {
  return createHmac("sha256", signingKey()).update(`${VERSION}\n${target.tenantId}\n${target.emailId}\n${target.recipient}`).digest("base64url");
}

function uuidBytes(id: string): Buffer {
  return Buffer.from(id.replace(/-/g, ""), "hex");
}

function uuidString(bytes: Buffer): string {
  const hex = bytes.toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The token of the link an email to `recipient` carries. */
export function unsubscribeToken(target: UnsubscribeTarget): string {
  const normalized = { ...target, recipient: target.recipient.toLowerCase() };
  const ids = Buffer.concat([uuidBytes(normalized.tenantId), uuidBytes(normalized.emailId)]).toString("base64url");
  return [VERSION, ids, Buffer.from(normalized.recipient, "utf8").toString("base64url"), signature(normalized)].join(".");
}

/** What a token names, when its signature is ours; null for anything else (malformed, forged, another key). */
export function verifyUnsubscribeToken(token: string): UnsubscribeTarget | null {
  if (token.length > MAX_TOKEN_LENGTH) return null;
  const [version, ids, recipientPart, mac, ...rest] = token.split(".");
  if (version !== VERSION || !ids || !recipientPart || !mac || rest.length > 0) return null;
  const idBytes = Buffer.from(ids, "base64url");
  if (idBytes.length !== 32) return null;
  const recipientBytes = Buffer.from(recipientPart, "base64url");
  // One spelling per token: Node's decoder ignores a padding "=" and a last character's spare bits.
  if (idBytes.toString("base64url") !== ids || recipientBytes.toString("base64url") !== recipientPart) return null;
  const recipient = recipientBytes.toString("utf8");
  const target = { tenantId: uuidString(idBytes.subarray(0, 16)), emailId: uuidString(idBytes.subarray(16)), recipient };
  if (!isUuid(target.tenantId) || !isUuid(target.emailId) || recipient.length === 0 || recipient !== recipient.toLowerCase()) return null;
  return safeEqual(mac, signature(target)) ? target : null;
}

/** The link itself, on the app's public origin. */
export function unsubscribeUrl(baseUrl: string, target: UnsubscribeTarget): string {
  return `${baseUrl.replace(/\/+$/, "")}/api/unsubscribe/${unsubscribeToken(target)}`;
}
