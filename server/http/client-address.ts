/**
 * The client address an anonymous request (register, login) is rate limited by. Forwarded headers are
 * believed only as far as TRUST_PROXY says; otherwise the socket peer counts, so a client cannot pick a
 * fresh address per request by sending its own X-Forwarded-For.
 */
import { isIP } from "node:net";
import type { TrustProxy } from "../env";
import { parseIpv6 } from "../lib/outbound-guard";
import { socketPeer } from "./request-stamp";

/** Requests whose peer is unknown (no socket patch, e.g. another host runtime) share one bucket. */
export const UNKNOWN_CLIENT = "unknown";

export function clientAddress(req: Request, trust: TrustProxy): string {
  const peer = normalizeAddress(socketPeer(req));
  if (trust.kind === "vercel") {
    // Vercel's edge overwrites X-Forwarded-For (and X-Real-IP, the same value) with the address it saw,
    // "to prevent IP spoofing" (its request-headers documentation); a client's own values never arrive.
    const vercel = req.headers.get("x-real-ip") ?? req.headers.get("x-forwarded-for");
    return normalizeAddress(vercel?.split(",")[0]) ?? peer ?? UNKNOWN_CLIENT;
  }
  if (trust.kind === "hops") {
    // Each trusted proxy appends the address it saw: the Nth entry from the right was written by ours.
    const chain = (req.headers.get("x-forwarded-for") ?? "").split(",").map((s) => s.trim()).filter(Boolean);
    if (chain.length === 0) return peer ?? UNKNOWN_CLIENT;
    const entry = chain[Math.max(0, chain.length - trust.hops)];
    return normalizeAddress(entry) ?? peer ?? UNKNOWN_CLIENT;
  }
  return peer ?? UNKNOWN_CLIENT;
}

/**
 * An IP address as a rate-limit key, or null when it is not one. IPv4-mapped IPv6 becomes IPv4; IPv6
 * counts per /64, the block one subscriber usually holds (else every request could use a new address).
 */
export function normalizeAddress(raw: string | null | undefined): string | null {
  if (!raw) return null;
  let value = raw.trim();
  if (value.length > 64) return null;
  // "[v6]:port", "v4:port"
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(value);
  if (bracketed) value = bracketed[1]!;
  else if (/^[\d.]+:\d+$/.test(value)) value = value.slice(0, value.lastIndexOf(":"));
  value = value.replace(/%.*$/, "").toLowerCase();
  const version = isIP(value);
  if (version === 4) return value;
  if (version !== 6) return null;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(value);
  if (mapped && isIP(mapped[1]!) === 4) return mapped[1]!;
  const bytes = parseIpv6(value);
  const prefix = [0, 2, 4, 6].map((i) => ((bytes[i]! << 8) | bytes[i + 1]!).toString(16).padStart(4, "0"));
  return `${prefix.join(":")}::/64`;
}
