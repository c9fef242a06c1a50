/**
 * A sending domain as DNS and the providers see it: lower-case ASCII (an internationalized name becomes its
 * punycode A-label), no trailing dot, at least two LDH labels of 1-63 characters, at most 253 in all, and
 * not an IP address or a name that can only be local.
 */
import { domainToASCII, domainToUnicode } from "node:url";

export const MAX_DOMAIN_LENGTH = 253;

/** Names no provider will send for and that must not be looked up on the operator's resolver. */
const LOCAL_TLDS = new Set(["localhost", "local", "localdomain", "internal", "invalid", "arpa", "lan", "home"]);
const LDH_LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

export type HostnameResult = { ok: true; domain: string } | { ok: false; problem: string };

export function normalizeHostname(input: string): HostnameResult {
  let name = input.trim();
  if (name === "") return { ok: false, problem: "can't be blank" };
  // The URL standard's mapping also percent-decodes and accepts "[...]" IPv6 literals: refuse what a
  // domain can never contain before it runs, so "a%41.com" is not quietly read as "aa.com".
  if (/[\x00-\x20%/\\@:[\]?#_*"'<>^`{|}~!$&()+,;=]/.test(name)) return { ok: false, problem: "may contain only letters, digits, hyphens and dots" };
  if (/[^\x00-\x7f]/.test(name) || /(^|\.)xn--/i.test(name)) {
    // UTS #46 mapping (what browsers and mail clients do): ü → xn--…, full-width dots → dots; "" when invalid.
    const ascii = domainToASCII(name);
    // UTS #46 alone lets symbols and emoji through (☃.com); IDNA2008 allows letters, marks and digits only.
    if (ascii === "" || !domainToUnicode(ascii).split(".").every((l) => /^[\p{L}\p{M}\p{N}-]*$/u.test(l))) {
      return { ok: false, problem: "is not a valid internationalized domain name" };
    }
    name = ascii;
  }
  name = name.toLowerCase();
  if (name.endsWith(".")) name = name.slice(0, -1);
  if (name.length > MAX_DOMAIN_LENGTH) return { ok: false, problem: `must be at most ${MAX_DOMAIN_LENGTH} characters` };
  const labels = name.split(".");
  if (labels.length < 2) return { ok: false, problem: "must be a domain name with at least two labels, such as mail.yourapp.com" };
  if (labels.some((l) => l === "")) return { ok: false, problem: "must not contain empty labels (two dots in a row, or a leading dot)" };
  if (labels.some((l) => l.length > 63)) return { ok: false, problem: "must have labels of at most 63 characters" };
  if (!labels.every((l) => LDH_LABEL.test(l))) return { ok: false, problem: "must have labels of letters, digits and hyphens that neither start nor end with a hyphen" };
  // A top-level label is never all digits (RFC 3696 §2): this refuses 1.2.3.4 and 0x7f.1 alike.
  const tld = labels[labels.length - 1]!;
  if (/^\d+$/.test(tld) || /^0x[0-9a-f]*$/.test(tld)) return { ok: false, problem: "must be a domain name, not an IP address" };
  if (LOCAL_TLDS.has(tld)) return { ok: false, problem: `must be a public domain name (.${tld} names are local)` };
  return { ok: true, domain: name };
}

/** The domain of an email address and its parents down to two labels: mail.a.com → [mail.a.com, a.com]. */
export function domainAndParents(domain: string): string[] {
  const labels = domain.toLowerCase().split(".");
  const names: string[] = [];
  for (let i = 0; i + 2 <= labels.length; i++) names.push(labels.slice(i).join("."));
  return names;
}
