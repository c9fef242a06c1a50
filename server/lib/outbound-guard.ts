import { lookup } from "node:dns/promises";
import { isIP } from "node:net";

/**
 * Customers choose where we connect (provider endpoint overrides, SMTP hosts), so without this check a
 * tenant could point us at internal services or cloud metadata (SSRF). Call it right before using an
 * endpoint. It resolves the name itself, so a later DNS change (rebinding) between this check and the
 * SDK's own lookup is not covered; pinning the resolved address into the socket would be the full fix.
 */

export interface OutboundPolicy {
  /** Tests and self-hosted installs talk to 127.0.0.1 emulators and LAN relays. */
  allowPrivate: boolean;
}

export type OutboundAddressErrorCode = "invalid_url" | "scheme" | "unresolvable" | "private_address";

export class OutboundAddressError extends Error {
  readonly code: OutboundAddressErrorCode;

  constructor(code: OutboundAddressErrorCode, message: string) {
    super(message);
    this.name = "OutboundAddressError";
    this.code = code;
  }
}

const ALLOWED_SCHEMES = new Set(["http:", "https:"]);

export async function assertOutboundUrlAllowed(url: string, policy: OutboundPolicy): Promise<void> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new OutboundAddressError("invalid_url", `Not a valid URL: ${url}`);
  }
  if (!ALLOWED_SCHEMES.has(parsed.protocol)) {
    throw new OutboundAddressError("scheme", `Only http and https endpoints are allowed, not ${parsed.protocol.replace(/:$/, "")}`);
  }
  await assertOutboundHostAllowed(parsed.hostname, policy);
}

/** For SMTP and other non-URL targets: every address the name resolves to must be public. */
export async function assertOutboundHostAllowed(host: string, policy: OutboundPolicy): Promise<void> {
  const hostname = host.replace(/^\[(.*)\]$/, "$1");
  if (hostname === "") throw new OutboundAddressError("invalid_url", "The host name is empty");
  if (policy.allowPrivate) return;
  const addresses = isIP(hostname) ? [hostname] : await resolveAll(hostname);
  for (const address of addresses) {
    const range = nonPublicRange(address);
    if (range) {
      const subject = address === hostname ? address : `${hostname} resolves to ${address}, which`;
      throw new OutboundAddressError("private_address", `${subject} is not a public address (${range})`);
    }
  }
}

async function resolveAll(hostname: string): Promise<string[]> {
  try {
    const results = await lookup(hostname, { all: true, verbatim: true });
    if (results.length === 0) throw new Error("no addresses");
    return results.map((result) => result.address);
  } catch {
    throw new OutboundAddressError("unresolvable", `Could not resolve ${hostname}`);
  }
}

type Ipv4Range = [base: number, prefixLength: number, label: string];

const IPV4_BLOCKED: Ipv4Range[] = [
  [ipv4ToInt(0, 0, 0, 0), 8, "this network"],
  [ipv4ToInt(10, 0, 0, 0), 8, "private"],
  [ipv4ToInt(100, 64, 0, 0), 10, "carrier-grade NAT"],
  [ipv4ToInt(127, 0, 0, 0), 8, "loopback"],
  [ipv4ToInt(169, 254, 0, 0), 16, "link-local"],
  [ipv4ToInt(172, 16, 0, 0), 12, "private"],
  [ipv4ToInt(192, 0, 0, 0), 24, "IETF protocol assignments"],
  [ipv4ToInt(192, 168, 0, 0), 16, "private"],
  [ipv4ToInt(198, 18, 0, 0), 15, "benchmarking"],
  [ipv4ToInt(224, 0, 0, 0), 4, "multicast"],
  [ipv4ToInt(240, 0, 0, 0), 4, "reserved"],
];

/** The range name when the address is not publicly routable, else undefined. */
export function nonPublicRange(address: string): string | undefined {
  const version = isIP(address);
  if (version === 4) return ipv4Range(parseIpv4(address));
  if (version === 6) return ipv6Range(parseIpv6(address));
  return "not an IP address";
}

function ipv4Range(value: number): string | undefined {
  for (const [base, prefixLength, label] of IPV4_BLOCKED) {
    const mask = prefixLength === 0 ? 0 : (0xffffffff << (32 - prefixLength)) >>> 0;
    if (((value & mask) >>> 0) === base) return label;
  }
  return undefined;
}

function ipv6Range(bytes: number[]): string | undefined {
  const allZeroUntil = (end: number) => bytes.slice(0, end).every((byte) => byte === 0);
  const embeddedIpv4 = (from: number) => ipv4ToInt(bytes[from] ?? 0, bytes[from + 1] ?? 0, bytes[from + 2] ?? 0, bytes[from + 3] ?? 0);
  if (allZeroUntil(16)) return "unspecified";
  if (allZeroUntil(15) && bytes[15] === 1) return "loopback";
  // ::ffff:a.b.c.d (IPv4-mapped) and the deprecated ::a.b.c.d (IPv4-compatible) reach the IPv4 host.
  if (allZeroUntil(10) && bytes[10] === 0xff && bytes[11] === 0xff) return prefixed("IPv4-mapped", ipv4Range(embeddedIpv4(12)));
  if (allZeroUntil(12)) return prefixed("IPv4-compatible", ipv4Range(embeddedIpv4(12)));
  // NAT64 (64:ff9b::/96) and 6to4 (2002::/16) embed an IPv4 address too.
  if (bytes[0] === 0x00 && bytes[1] === 0x64 && bytes[2] === 0xff && bytes[3] === 0x9b && bytes.slice(4, 12).every((b) => b === 0)) {
    return prefixed("NAT64", ipv4Range(embeddedIpv4(12)));
  }
  if (bytes[0] === 0x20 && bytes[1] === 0x02) return prefixed("6to4", ipv4Range(embeddedIpv4(2)));
  const first = bytes[0] ?? 0;
  const second = bytes[1] ?? 0;
  if ((first & 0xfe) === 0xfc) return "unique local (private)";
  if (first === 0xfe && (second & 0xc0) === 0x80) return "link-local";
  if (first === 0xfe && (second & 0xc0) === 0xc0) return "site-local";
  if (first === 0xff) return "multicast";
  return undefined;
}

function prefixed(kind: string, ipv4Label: string | undefined): string | undefined {
  return ipv4Label ? `${kind} ${ipv4Label}` : undefined;
}

function ipv4ToInt(a: number, b: number, c: number, d: number): number {
  return ((a << 24) | (b << 16) | (c << 8) | d) >>> 0;
}

function parseIpv4(address: string): number {
  const [a = 0, b = 0, c = 0, d = 0] = address.split(".").map(Number);
  return ipv4ToInt(a, b, c, d);
}

/** 16 bytes from any valid IPv6 text form (isIP has already validated it), including a zone id. */
function parseIpv6(address: string): number[] {
  // Rewrite a trailing dotted quad (::ffff:1.2.3.4) as two hex groups so only one syntax remains.
  const text = (address.split("%")[0] ?? "").replace(/(\d+)\.(\d+)\.(\d+)\.(\d+)$/, (_match, a, b, c, d) => {
    const value = ipv4ToInt(Number(a), Number(b), Number(c), Number(d));
    return `${(value >>> 16).toString(16)}:${(value & 0xffff).toString(16)}`;
  });
  const [head = "", tail] = text.split("::");
  const headGroups = head === "" ? [] : head.split(":");
  const tailGroups = tail === undefined || tail === "" ? [] : tail.split(":");
  const zeros = tail === undefined ? 0 : 8 - headGroups.length - tailGroups.length;
  const groups = [...headGroups, ...Array<string>(zeros).fill("0"), ...tailGroups];
  return groups.flatMap((group) => {
    const value = parseInt(group, 16) || 0;
    return [value >> 8, value & 0xff];
  });
}
