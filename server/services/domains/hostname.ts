/**
 * A sending domain as DNS and the providers see it: lower-case ASCII (an internationalized name becomes its
 * punycode A-label), no trailing dot, at least two LDH labels of 1-63 characters, at most 253 in all, and
 * not an IP address, a name that can only be local, or a Tor onion service.
 */
import { domainToASCII, domainToUnicode } from "node:url";

export const MAX_DOMAIN_LENGTH = 253;

/**
 * Names no provider will send for and that must not be looked up on the operator's resolver: special-use
 * names (RFC 6761, 6762, 8375's home.arpa, 9476's .alt), .onion (RFC 7686: Tor, never DNS), and TLDs
 * commonly used on private networks. `.test` and `.example` stay allowed (they resolve nowhere public).
 */
const REFUSED_TLDS = new Map<string, string>([
  ...["localhost", "local", "localdomain", "internal", "invalid", "arpa"].map((tld): [string, string] => [tld, "names are local"]),
  ...["corp", "home", "lan", "intranet", "private"].map((tld): [string, string] => [tld, "names are used on private networks"]),
  ["alt", "names are not DNS names (RFC 9476)"],
  ["onion", "names are Tor onion services (RFC 7686), not DNS names"],
]);
const LDH_LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

export type HostnameResult = { ok: true; domain: string } | { ok: false; problem: string };

export function normalizeHostname(input: string): HostnameResult {
  // Format characters (category Cf: zero-width space and joiners, soft hyphen, BOM, bidi controls) and the
  // other default-ignorable ones (variation selectors, the combining grapheme joiner) are invisible, and
  // UTS #46 maps most to nothing (a\u200b.com → a.com): refused, so the name stored is the name shown.
  // Before trim(), which removes a BOM.
  if (/[\p{Cf}\p{Default_Ignorable_Code_Point}]/u.test(input)) return { ok: false, problem: "must not contain invisible characters (such as zero-width spaces)" };
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
  const refused = REFUSED_TLDS.get(tld);
  if (refused) return { ok: false, problem: `must be a public domain name (.${tld} ${refused})` };
  return { ok: true, domain: name };
}

/** The domain of an email address and its parents down to two labels: mail.a.com → [mail.a.com, a.com]. */
export function domainAndParents(domain: string): string[] {
  const labels = domain.toLowerCase().split(".");
  const names: string[] = [];
  for (let i = 0; i + 2 <= labels.length; i++) names.push(labels.slice(i).join("."));
  return names;
}
