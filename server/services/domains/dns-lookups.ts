/**
 * DNS lookups for domain verification, on the resolvers of DNS_SERVERS (or the system's) through c-ares
 * (node:dns Resolver, off libuv's threadpool). One verification's lookups share one budget
 * (DNS_TIMEOUT_MS): whatever has not answered by then is cancelled and reported as a timeout, so a DNS
 * server that never answers costs a request at most that long and never becomes a 500.
 */
import { Resolver } from "node:dns/promises";
import { env } from "../../env";

export type DnsAnswer = { kind: "records"; records: string[] } | { kind: "none" } | { kind: "error"; message: string };

export interface DnsLookups {
  /** TXT records at `name`, each record's strings joined (as SPF and DKIM read them). */
  txt(name: string): Promise<DnsAnswer>;
  /** CNAME targets at `name`. */
  cname(name: string): Promise<DnsAnswer>;
}

/** A DNS answer is stored and shown: bounded, and with no byte PostgreSQL's jsonb refuses (NUL). */
const MAX_RECORDS = 20;
const MAX_RECORD_CHARS = 1024;

/** The name exists without records of the type (ENODATA) or does not exist (ENOTFOUND = NXDOMAIN). */
const ABSENT = new Set(["ENODATA", "ENOTFOUND"]);

export async function withDnsLookups<T>(work: (dns: DnsLookups) => Promise<T>): Promise<T> {
  const budget = env.DNS_TIMEOUT_MS;
  // c-ares doubles the timeout on its second try: a third of the budget each leaves room for both.
  const resolver = new Resolver({ timeout: Math.max(100, Math.floor(budget / 3)), tries: 2 });
  if (env.DNS_SERVERS) resolver.setServers(env.DNS_SERVERS);
  const timer = setTimeout(() => resolver.cancel(), budget);
  const cache = new Map<string, Promise<DnsAnswer>>();
  const once = (key: string, query: () => Promise<string[]>) => {
    let answer = cache.get(key);
    if (!answer) {
      answer = query().then(toRecords, toFailure);
      cache.set(key, answer);
    }
    return answer;
  };
  try {
    return await work({
      txt: (name) => once(`TXT ${name}`, async () => (await resolver.resolveTxt(name)).map((chunks) => chunks.join(""))),
      cname: (name) => once(`CNAME ${name}`, () => resolver.resolveCname(name)),
    });
  } finally {
    clearTimeout(timer);
    resolver.cancel();
  }
}

function toRecords(records: string[]): DnsAnswer {
  return { kind: "records", records: records.slice(0, MAX_RECORDS).map(printable) };
}

function toFailure(error: unknown): DnsAnswer {
  const code = (error as NodeJS.ErrnoException | null)?.code ?? "";
  if (ABSENT.has(code)) return { kind: "none" };
  return { kind: "error", message: failureMessage(code) };
}

function failureMessage(code: string): string {
  switch (code) {
    case "ETIMEOUT":
    case "ECANCELLED":
      return "the DNS lookup timed out";
    case "ESERVFAIL":
      return "the DNS server answered SERVFAIL (it could not resolve the name)";
    case "EREFUSED":
      return "the DNS server refused the query";
    case "ECONNREFUSED":
      return "the DNS server could not be reached";
    default:
      return `the DNS lookup failed (${code || "unknown error"})`;
  }
}

/** Control characters are shown escaped (\x00), and a record is cut at MAX_RECORD_CHARS. */
function printable(record: string): string {
  const escaped = record.replace(/[\x00-\x1f\x7f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, "0")}`);
  return escaped.length > MAX_RECORD_CHARS ? `${escaped.slice(0, MAX_RECORD_CHARS)}…` : escaped;
}
