/**
 * DNS lookups for domain verification, on the resolvers of DNS_SERVERS (or the system's) through c-ares
 * (node:dns Resolver, off libuv's threadpool). One verification's lookups share one budget
 * (DNS_TIMEOUT_MS): whatever has not answered by then is cancelled and reported as a timeout, so a DNS
 * server that never answers costs a request at most that long and never becomes a 500.
 */
import { Resolver } from "node:dns/promises";
import { env } from "../../env";

/**
 * The whole answer, as the server sent it: checks match on every record, in full (an apex often has more
 * than 20 TXT records, in varying order). Only what is stored and shown is bounded and escaped
 * (`shownRecords`, `shownRecord`). `none` with `alias`: the answer held records, but none of the type
 * asked (a CNAME that loops or leads to a name without such records).
 */
export type DnsAnswer = { kind: "records"; records: string[] } | { kind: "none"; alias: boolean } | { kind: "error"; message: string };

export interface DnsLookups {
  /** TXT records at `name`, each record's strings joined (as SPF and DKIM read them). */
  txt(name: string): Promise<DnsAnswer>;
  /** CNAME targets at `name`. */
  cname(name: string): Promise<DnsAnswer>;
}

/** What is stored and shown of an answer: bounded, and with no byte PostgreSQL's jsonb refuses (NUL). */
export const MAX_SHOWN_RECORDS = 20;
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
  // c-ares answers [] (not ENODATA) when the answer has records but none of the type: a CNAME chain that
  // loops, or ends at a name without them.
  return records.length > 0 ? { kind: "records", records } : { kind: "none", alias: true };
}

function toFailure(error: unknown): DnsAnswer {
  const code = (error as NodeJS.ErrnoException | null)?.code ?? "";
  if (ABSENT.has(code)) return { kind: "none", alias: false };
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

/** The first MAX_SHOWN_RECORDS records, each as `shownRecord`. */
export function shownRecords(records: string[]): string[] {
  return records.slice(0, MAX_SHOWN_RECORDS).map(shownRecord);
}

/** Control characters are shown escaped (\x00), and a record is cut at MAX_RECORD_CHARS. */
export function shownRecord(record: string): string {
  const escaped = record.replace(/[\x00-\x1f\x7f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, "0")}`);
  return escaped.length > MAX_RECORD_CHARS ? `${escaped.slice(0, MAX_RECORD_CHARS)}…` : escaped;
}
