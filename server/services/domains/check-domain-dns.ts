/**
 * One verification's DNS checks under one budget. The ownership token at `_courierx.<domain>` first: only
 * a domain whose owner published it gets the checks receivers will make for the providers in the tenant's
 * chain — SPF (does the record authorize the provider?), DMARC (is there a policy?) and DKIM where the
 * provider's selector can be known — all in parallel. Anyone can register any name, so an unproven domain
 * costs one query, not twenty against a zone its tenant may not own. What cannot be known is said so
 * (`found: null`), never guessed. Checks match on the full answers; what is stored is bounded and escaped.
 */
import type { ProviderName } from "../../db";
import { MAX_SHOWN_RECORDS, shownRecord, shownRecords, withDnsLookups, type DnsAnswer, type DnsLookups } from "./dns-lookups";
import { PROVIDER_DNS } from "./provider-dns";

export interface VerificationFinding {
  host: string;
  result: "found" | "missing" | "mismatch" | "dns_error";
  txt_records: string[];
  message: string;
}

export interface SpfProviderFinding {
  provider: ProviderName;
  include: string | null;
  /** Where the include was found, or where it should be. */
  host: string | null;
  /** null: could not be checked (no include to look for, or the lookup failed). */
  found: boolean | null;
  message: string;
}

export interface SpfFinding {
  host: string;
  result: "found" | "missing" | "multiple" | "dns_error";
  record: string | null;
  message: string;
  providers: SpfProviderFinding[];
}

export interface DmarcFinding {
  host: string;
  result: "found" | "missing" | "multiple" | "dns_error";
  record: string | null;
  /** The policy that applies to this domain: `p=`, or the parent's `sp=` (else `p=`) when inherited. */
  policy: string | null;
  inherited: boolean;
  message: string;
}

export interface DkimFinding {
  provider: ProviderName;
  selector: string | null;
  host: string | null;
  found: boolean | null;
  record_type: "CNAME" | "TXT" | null;
  message: string;
}

/** spf, dmarc and dkim are null when the token was not found: they were not looked up. */
export interface DomainFindings {
  checked_at: string;
  verification: VerificationFinding;
  spf: SpfFinding | null;
  dmarc: DmarcFinding | null;
  dkim: DkimFinding[] | null;
}

const NOT_CHECKED = "SPF, DMARC and DKIM are checked once the verification token is found.";

export async function checkDomainDns(domain: string, token: string, providers: ProviderName[], now = new Date()): Promise<DomainFindings> {
  return withDnsLookups(async (dns) => {
    const verification = await checkToken(dns, domain, token);
    if (verification.result !== "found") return { checked_at: now.toISOString(), verification: { ...verification, message: `${verification.message} ${NOT_CHECKED}` }, spf: null, dmarc: null, dkim: null };
    const [spf, dmarc, dkim] = await Promise.all([
      checkSpf(dns, domain, providers),
      checkDmarc(dns, domain),
      Promise.all(providers.map((p) => checkDkim(dns, domain, p))).then((lists) => lists.flat()),
    ]);
    return { checked_at: now.toISOString(), verification, spf, dmarc, dkim };
  });
}

async function checkToken(dns: DnsLookups, domain: string, token: string): Promise<VerificationFinding> {
  const host = `_courierx.${domain}`;
  const answer = await dns.txt(host);
  if (answer.kind === "error") return { host, result: "dns_error", txt_records: [], message: `Could not check ${host}: ${answer.message}. Try again later.` };
  if (answer.kind === "none" && answer.alias) return { host, result: "missing", txt_records: [], message: `No TXT record at ${host}: it is an alias (CNAME) that loops or leads to no TXT record. Replace it with a TXT record with the value ${token}.` };
  if (answer.kind === "none") return { host, result: "missing", txt_records: [], message: `No TXT record at ${host}: add one with the value ${token}.` };
  const count = answer.records.length;
  const shown = count > MAX_SHOWN_RECORDS ? ` (${count} records, the first ${MAX_SHOWN_RECORDS} shown)` : "";
  // DNS control panels sometimes store the quotes typed around a value.
  const found = answer.records.some((r) => r.trim().replace(/^"(.*)"$/, "$1") === token);
  const txt_records = shownRecords(answer.records);
  if (found) return { host, result: "found", txt_records, message: `Found the verification token at ${host}${shown}.` };
  return { host, result: "mismatch", txt_records, message: `The TXT record${count > 1 ? "s" : ""} at ${host} ${count > 1 ? "do" : "does"} not contain the verification token ${token}${shown}.` };
}

/** Several records in one stored field: the first MAX_SHOWN_RECORDS, each bounded. */
function shownJoined(records: string[]): string {
  return shownRecords(records).join(" | ");
}

const SPF_RECORD = /^v=spf1(\s|$)/i;

function spfRecords(answer: DnsAnswer): string[] {
  return answer.kind === "records" ? answer.records.filter((r) => SPF_RECORD.test(r.trim())) : [];
}

function hasInclude(records: string[], include: string): boolean {
  // An include with the pass qualifier ("+include:") or none; "~include:"/"-include:" do not authorize.
  return records.some((r) => r.trim().toLowerCase().split(/\s+/).some((term) => term.replace(/^\+/, "") === include));
}

async function checkSpf(dns: DnsLookups, domain: string, providers: ProviderName[]): Promise<SpfFinding> {
  const answer = await dns.txt(domain);
  const records = spfRecords(answer);
  const base =
    answer.kind === "error"
      ? { result: "dns_error" as const, record: null, message: `Could not check the SPF record of ${domain}: ${answer.message}.` }
      : records.length === 0
        ? { result: "missing" as const, record: null, message: `No SPF record (TXT starting v=spf1) at ${domain}.` }
        : records.length > 1
          ? { result: "multiple" as const, record: shownJoined(records), message: `${domain} has ${records.length} SPF records; receivers treat that as an error (RFC 7208): merge them into one.` }
          : { result: "found" as const, record: shownRecord(records[0]!), message: `SPF record found at ${domain}.` };
  const checks = await Promise.all(providers.map((p) => checkSpfInclude(dns, domain, p, answer)));
  return { host: domain, ...base, providers: checks };
}

async function checkSpfInclude(dns: DnsLookups, domain: string, provider: ProviderName, domainAnswer: DnsAnswer): Promise<SpfProviderFinding> {
  const { spfInclude: include, spfHosts } = PROVIDER_DNS[provider];
  if (!include) return { provider, include: null, host: null, found: null, message: `No SPF include is known for ${provider}: authorize your relay's servers in your SPF record.` };
  const hosts = [...spfHosts.map((s) => `${s}.${domain}`), domain];
  const answers = await Promise.all(hosts.map((h, i) => (i === hosts.length - 1 ? domainAnswer : dns.txt(h))));
  const at = hosts.find((_, i) => hasInclude(spfRecords(answers[i]!), include));
  if (at) return { provider, include, host: at, found: true, message: `${include} found in the SPF record at ${at}.` };
  if (answers.some((a) => a.kind === "error")) return { provider, include, host: hosts[0]!, found: null, message: `Could not check SPF for ${provider}: a DNS lookup failed.` };
  return { provider, include, host: hosts[0]!, found: false, message: `Add ${include} to the SPF record at ${hosts[0]}.` };
}

const DMARC_RECORD = /^v=DMARC1\s*(;|$)/i;

function dmarcTag(record: string, tag: string): string | null {
  const match = new RegExp(`(?:^|;)\\s*${tag}\\s*=\\s*([^;\\s]+)`, "i").exec(record);
  return match ? match[1]!.toLowerCase() : null;
}

/**
 * `_dmarc.<domain>`, and for a subdomain without one the policy of its parent two-label domain (an
 * approximation of the organizational domain, which would need the public suffix list).
 */
async function checkDmarc(dns: DnsLookups, domain: string): Promise<DmarcFinding> {
  const labels = domain.split(".");
  const hosts = [`_dmarc.${domain}`, ...(labels.length > 2 ? [`_dmarc.${labels.slice(-2).join(".")}`] : [])];
  const answers = await Promise.all(hosts.map((h) => dns.txt(h)));
  for (const [i, answer] of answers.entries()) {
    const host = hosts[i]!;
    const inherited = i > 0;
    if (answer.kind === "error") return { host, result: "dns_error", record: null, policy: null, inherited, message: `Could not check ${host}: ${answer.message}.` };
    const records = answer.kind === "records" ? answer.records.filter((r) => DMARC_RECORD.test(r.trim())) : [];
    if (records.length > 1) return { host, result: "multiple", record: shownJoined(records), policy: null, inherited, message: `${host} has ${records.length} DMARC records; receivers then apply none (RFC 7489): keep one.` };
    if (records.length === 1) {
      const record = records[0]!;
      const tag = (inherited ? dmarcTag(record, "sp") : null) ?? dmarcTag(record, "p");
      // Read from the raw record, so stored (and put in the message) bounded and escaped like it.
      const policy = tag === null ? null : shownRecord(tag);
      return { host, result: "found", record: shownRecord(record), policy, inherited, message: `DMARC policy ${policy ?? "(no p= tag)"} at ${host}${inherited ? ` applies to ${domain}` : ""}.` };
    }
  }
  return { host: hosts[0]!, result: "missing", record: null, policy: null, inherited: false, message: `No DMARC record (TXT starting v=DMARC1) at ${hosts[0]}.` };
}

type KeyLookup = { found: true; type: "CNAME" | "TXT" } | { found: false } | { found: null; message: string };

/** A DKIM key is a TXT record with p= (v=DKIM1), or a CNAME to the provider's key. */
async function lookupKey(dns: DnsLookups, host: string): Promise<KeyLookup> {
  const [cname, txt] = await Promise.all([dns.cname(host), dns.txt(host)]);
  if (cname.kind === "records" && cname.records.length > 0) return { found: true, type: "CNAME" };
  if (txt.kind === "records" && txt.records.some((r) => /(^|;)\s*(v=DKIM1|p=)/i.test(r))) return { found: true, type: "TXT" };
  const failed = [cname, txt].find((a) => a.kind === "error");
  if (failed && failed.kind === "error") return { found: null, message: failed.message };
  return { found: false };
}

async function checkDkim(dns: DnsLookups, domain: string, provider: ProviderName): Promise<DkimFinding[]> {
  const dkim = PROVIDER_DNS[provider].dkim;
  if (dkim.kind === "unknown") return [{ provider, selector: null, host: null, found: null, record_type: null, message: dkim.message }];
  const lookups = await Promise.all(dkim.selectors.map(async (selector) => ({ selector, host: `${selector}._domainkey.${domain}`, key: await lookupKey(dns, `${selector}._domainkey.${domain}`) })));
  const finding = ({ selector, host, key }: (typeof lookups)[number]): DkimFinding => {
    if (key.found === true) return { provider, selector, host, found: true, record_type: key.type, message: `DKIM key (${key.type}) found at ${host}.` };
    if (key.found === null) return { provider, selector, host, found: null, record_type: null, message: `Could not check ${host}: ${key.message}.` };
    return { provider, selector, host, found: false, record_type: null, message: `No DKIM key at ${host}: add the record ${provider} shows for this domain.` };
  };
  if (dkim.kind === "fixed") return lookups.map(finding);
  const hit = lookups.find((l) => l.key.found === true);
  if (hit) return [finding(hit)];
  const failed = lookups.find((l) => l.key.found === null);
  if (failed) return [finding(failed)];
  return [{ provider, selector: null, host: null, found: null, record_type: null, message: dkim.unknownMessage }];
}
