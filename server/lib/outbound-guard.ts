import type { LookupAddress, LookupOptions } from "node:dns";
import { Resolver, lookup as systemLookup } from "node:dns/promises";
import { isIP, type LookupFunction } from "node:net";
import { logger } from "./logger";

/**
 * Customers choose where we connect (provider endpoint overrides, SMTP hosts), so without this guard a
 * tenant could point us at internal services or cloud metadata (SSRF). Two layers use it: a check when a
 * connection is saved or used (clear errors), and `guardedLookup`, the resolver the sockets themselves
 * connect through. The second one is what closes DNS rebinding: the addresses it checks are the ones the
 * socket connects to, however the name answered a moment earlier.
 */

export interface OutboundPolicy {
  /** 127.0.0.0/8 and ::1 (local relays, emulators): allowed outside production. */
  allowLoopback: boolean;
  /** Every other non-public range (RFC 1918, link-local, CGNAT, ULA, embedded IPv4 forms): LAN relays. */
  allowPrivate: boolean;
}

export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

/** Name → addresses. Rejections carry a Node DNS code (ENOTFOUND, EAI_AGAIN, ESERVFAIL, ETIMEOUT …). */
export type OutboundResolver = (hostname: string) => Promise<ResolvedAddress[]>;

export interface OutboundGuard {
  readonly policy: OutboundPolicy;
  readonly resolve: OutboundResolver;
  /** Same policy and resolver, same key: cached SDK clients (which hold the guarded agents) are rebuilt when it changes. */
  readonly key: string;
}

/**
 * `code` is Node-style so it survives SDKs that keep only an error's code: EOUTBOUND (refused address,
 * permanent), ENOTFOUND (the name does not exist, permanent), EAI_AGAIN (DNS failed for a temporary
 * reason, transient), EINVAL (not a URL / not http(s)).
 */
export type OutboundErrorCode = "EOUTBOUND" | "ENOTFOUND" | "EAI_AGAIN" | "EINVAL";

export class OutboundAddressError extends Error {
  readonly code: OutboundErrorCode;
  readonly hostname: string | undefined;

  constructor(code: OutboundErrorCode, message: string, hostname?: string) {
    super(message);
    this.name = "OutboundAddressError";
    this.code = code;
    this.hostname = hostname;
  }

  /** A DNS failure that may heal by itself: retry or fail over, never a verdict on the configuration. */
  get temporary(): boolean {
    return this.code === "EAI_AGAIN";
  }
}

export function isOutboundAddressError(error: unknown): error is OutboundAddressError {
  return error instanceof OutboundAddressError;
}

const ALLOWED_SCHEMES = new Set(["http:", "https:"]);
const DNS_TIMEOUT_MS = 5_000;

/** Checks a URL's host (resolving a name) and returns the allowed addresses. */
export async function assertOutboundUrlAllowed(url: string, guard: OutboundGuard): Promise<ResolvedAddress[]> {
  return resolveOutboundHost(urlHostname(url), guard);
}

/** For SMTP and other non-URL targets: every address the name resolves to must be allowed. */
export async function assertOutboundHostAllowed(host: string, guard: OutboundGuard): Promise<ResolvedAddress[]> {
  return resolveOutboundHost(host, guard);
}

/** The hostname as the HTTP stacks will use it (WHATWG URL: 0x7f.1, 2130706433 and 127.1 all become 127.0.0.1). */
export function urlHostname(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new OutboundAddressError("EINVAL", `Not a valid URL: ${url}`);
  }
  if (!ALLOWED_SCHEMES.has(parsed.protocol)) {
    throw new OutboundAddressError("EINVAL", `Only http and https endpoints are allowed, not ${parsed.protocol.replace(/:$/, "")}`);
  }
  return parsed.hostname;
}

/**
 * Every address a host stands for, once each is allowed by the policy; an IP literal (in any spelling a
 * URL parser or inet_aton accepts) is checked as the address it is. One refused address refuses the name:
 * a resolver that mixes a public and a private answer is not trusted with either.
 */
export async function resolveOutboundHost(host: string, guard: OutboundGuard): Promise<ResolvedAddress[]> {
  const hostname = host.trim().replace(/^\[(.*)\]$/, "$1");
  if (hostname === "") throw new OutboundAddressError("EINVAL", "The host name is empty");
  const literal = literalAddress(hostname);
  if (literal) {
    const refused = literalRefusal(literal, hostname, guard.policy);
    if (refused) throw refused;
    return [literal];
  }
  // RFC 6761: these names mean this machine whatever a DNS server says.
  if (/(^|\.)localhost\.?$/i.test(hostname) && !guard.policy.allowLoopback && !guard.policy.allowPrivate) {
    throw new OutboundAddressError("EOUTBOUND", `${hostname} is not a public address (loopback)`, hostname);
  }
  const addresses = await resolveName(hostname, guard.resolve);
  for (const { address } of addresses) {
    const refusal = refusalFor(address, guard.policy);
    if (refusal) {
      // The tenant learns only that the name is refused: which internal address a name resolves to here
      // (split-horizon DNS, cluster services) is the server's business. The log keeps the detail.
      logger.warn("outbound name refused", { hostname, address, range: refusal });
      throw new OutboundAddressError("EOUTBOUND", `${hostname} resolves to a non-public address`, hostname);
    }
  }
  return addresses;
}

/** The refusal of an IP literal the policy does not allow (named by its range: the tenant typed it), or undefined. */
export function literalRefusal(literal: ResolvedAddress, hostname: string, policy: OutboundPolicy): OutboundAddressError | undefined {
  const range = refusalFor(literal.address, policy);
  return range ? new OutboundAddressError("EOUTBOUND", `${literal.address} is not a public address (${range})`, hostname) : undefined;
}

/** The policy's verdict on one address: the range that refuses it, or undefined when it may be used. */
export function refusalFor(address: string, policy: OutboundPolicy): string | undefined {
  const range = nonPublicRange(address);
  if (range === undefined || policy.allowPrivate) return undefined;
  if (range === "loopback" && policy.allowLoopback) return undefined;
  return range;
}

/**
 * The `lookup` for net/tls sockets (http.Agent, undici's connect options, SMTP sockets): resolves through
 * the guard and refuses before any connection is attempted. Node calls it with `all: true` when it races
 * address families, else expects one address.
 */
export function guardedLookup(guard: OutboundGuard): LookupFunction {
  return (hostname: string, options: LookupOptions, callback: (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void) => {
    resolveOutboundHost(hostname, guard).then(
      (addresses) => {
        const family = options.family === 4 || options.family === "IPv4" ? 4 : options.family === 6 || options.family === "IPv6" ? 6 : 0;
        const usable = family === 0 ? addresses : addresses.filter((a) => a.family === family);
        const first = usable[0];
        if (!first) {
          callback(new OutboundAddressError("ENOTFOUND", `${hostname} has no IPv${family} address`, hostname), "");
          return;
        }
        if (options.all) callback(null, usable);
        else callback(null, first.address, first.family);
      },
      (error: unknown) => callback(error as NodeJS.ErrnoException, ""),
    );
  };
}

/**
 * c-ares first: getaddrinfo blocks one of libuv's four threadpool threads per lookup, and a tenant's name
 * whose DNS server never answers would starve scrypt, fs and zlib for everyone. A temporary failure is
 * reported as such; only a name DNS does not know falls back to getaddrinfo (names only /etc/hosts knows:
 * localhost, container links), which answers those from files at once.
 */
export function dnsResolverFor(dnsResolver: Resolver): OutboundResolver {
  return async (hostname) => {
    const [v4, v6] = await Promise.allSettled([dnsResolver.resolve4(hostname), dnsResolver.resolve6(hostname)]);
    const addresses: ResolvedAddress[] = [
      ...(v4.status === "fulfilled" ? v4.value.map((address) => ({ address, family: 4 as const })) : []),
      ...(v6.status === "fulfilled" ? v6.value.map((address) => ({ address, family: 6 as const })) : []),
    ];
    if (addresses.length > 0) return addresses;
    const failures = [v4, v6].flatMap((r) => (r.status === "rejected" ? [r.reason as NodeJS.ErrnoException] : []));
    const temporary = failures.find((e) => !NOT_FOUND_CODES.has(e.code ?? ""));
    if (temporary) throw temporary;
    const results = await systemLookup(hostname, { all: true, verbatim: true });
    return results.map((r) => ({ address: r.address, family: r.family === 6 ? 6 : 4 }));
  };
}

export const systemResolver: OutboundResolver = dnsResolverFor(new Resolver({ timeout: 2_000, tries: 2 }));

let resolverOverride: OutboundResolver | undefined;

/** Tests simulate DNS answers and failures; returns the function that restores the previous resolver. */
export function setOutboundResolver(resolver: OutboundResolver | undefined): () => void {
  const previous = resolverOverride;
  resolverOverride = resolver;
  return () => {
    resolverOverride = previous;
  };
}

const resolverIds = new WeakMap<OutboundResolver, number>();
let nextResolverId = 1;
const guards = new Map<string, OutboundGuard>();

/** The guard for a policy with the current resolver; the same object while neither changes. */
export function outboundGuard(policy: OutboundPolicy): OutboundGuard {
  const resolve = resolverOverride ?? systemResolver;
  let id = resolverIds.get(resolve);
  if (id === undefined) {
    id = nextResolverId++;
    resolverIds.set(resolve, id);
  }
  const key = `${policy.allowLoopback ? "L" : "-"}${policy.allowPrivate ? "P" : "-"}:${id}`;
  let guard = guards.get(key);
  if (!guard) {
    guard = Object.freeze({ policy: Object.freeze({ ...policy }), resolve, key });
    guards.set(key, guard);
  }
  return guard;
}

/** DNS codes that mean the name has no address: asking again will not help. */
const NOT_FOUND_CODES = new Set(["ENOTFOUND", "ENODATA", "EAI_NONAME", "EAI_NODATA", "NXDOMAIN", "ENONAME"]);

async function resolveName(hostname: string, resolve: OutboundResolver): Promise<ResolvedAddress[]> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(Object.assign(new Error("timed out"), { code: "ETIMEOUT" })), DNS_TIMEOUT_MS);
  });
  let addresses: ResolvedAddress[];
  try {
    addresses = await Promise.race([resolve(hostname), timeout]);
  } catch (error) {
    const code = typeof (error as { code?: unknown })?.code === "string" ? (error as { code: string }).code : "unknown error";
    if (NOT_FOUND_CODES.has(code)) throw new OutboundAddressError("ENOTFOUND", `Could not resolve ${hostname} (${code})`, hostname);
    // EAI_AGAIN, SERVFAIL, timeouts, an unreachable resolver: nothing is wrong with the name itself.
    throw new OutboundAddressError("EAI_AGAIN", `DNS lookup of ${hostname} failed temporarily (${code})`, hostname);
  } finally {
    clearTimeout(timer);
  }
  if (addresses.length === 0) throw new OutboundAddressError("ENOTFOUND", `Could not resolve ${hostname} (no addresses)`, hostname);
  return addresses;
}

/**
 * An IP literal in canonical form, also from the legacy IPv4 spellings that URL parsers and inet_aton
 * accept (0x7f.1, 0177.0.0.1, 2130706433, 127.1), or undefined for a name.
 */
export function literalAddress(hostname: string): ResolvedAddress | undefined {
  const version = isIP(hostname);
  if (version === 4 || version === 6) return { address: hostname, family: version };
  if (!/^[0-9a-fx.]+$/i.test(hostname) || !/^(0x[0-9a-f]*|\d+)(\.(0x[0-9a-f]*|\d+))*\.?$/i.test(hostname)) return undefined;
  try {
    const normalized = new URL(`http://${hostname}/`).hostname;
    return isIP(normalized) === 4 ? { address: normalized, family: 4 } : undefined;
  } catch {
    // Out-of-range numbers: not an address, and no resolver can make one of it either.
    throw new OutboundAddressError("EINVAL", `${hostname} is not a valid address`, hostname);
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

/**
 * Only ::1 is "loopback": an IPv4 address embedded in IPv6 (mapped, compatible, NAT64, 6to4) is named by
 * its form, so those odd spellings are refused unless private addresses are allowed outright.
 */
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
  // ::ffff:0:a.b.c.d (IPv4-translated, SIIT) reaches the IPv4 host as well.
  if (allZeroUntil(8) && bytes[8] === 0xff && bytes[9] === 0xff && bytes[10] === 0 && bytes[11] === 0) return prefixed("IPv4-translated", ipv4Range(embeddedIpv4(12)));
  // Local-use NAT64 (64:ff9b:1::/48), Teredo (2001::/32) and the discard prefix (100::/64) lead to
  // gateways or nowhere on the networks that have them: never a provider.
  if (bytes[0] === 0x00 && bytes[1] === 0x64 && bytes[2] === 0xff && bytes[3] === 0x9b && bytes[4] === 0x00 && bytes[5] === 0x01) return "local-use NAT64";
  if (bytes[0] === 0x20 && bytes[1] === 0x01 && bytes[2] === 0x00 && bytes[3] === 0x00) return "Teredo";
  if (bytes[0] === 0x01 && bytes[1] === 0x00 && bytes.slice(2, 8).every((b) => b === 0)) return "discard";
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
export function parseIpv6(address: string): number[] {
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
