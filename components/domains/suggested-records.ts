/**
 * What to publish, derived only from the service's findings (the includes and hosts it reports as
 * missing): no provider knowledge of its own. SPF: the includes a provider lacks, merged into the record
 * found at that host, or a new record where there is none. DMARC: a monitoring policy where none exists.
 */
import type { DmarcView, SpfView } from "./types";

export interface SuggestedRecord {
  /** Names the record's group, around its "Copy host" and "Copy value". */
  label: string;
  type: "TXT";
  host: string;
  value: string;
  why: string;
}

const ALL_TERM = /^[+~?-]?all$/i;

/** The record with the includes put before its `all` (or redirect=) term, so they take effect. */
export function withIncludes(record: string, includes: string[]): string {
  const terms = record.trim().split(/\s+/);
  const at = terms.findIndex((t) => ALL_TERM.test(t) || /^redirect=/i.test(t));
  const position = at === -1 ? terms.length : at;
  return [...terms.slice(0, position), ...includes, ...terms.slice(position)].join(" ");
}

/** Not cut at the display limit (…) and without escaped control characters (\x00). */
function isWhole(record: string): boolean {
  return !record.endsWith("…") && !/\\x[0-9a-f]{2}/i.test(record);
}

export function suggestedSpf(spf: SpfView): SuggestedRecord[] {
  const missing = new Map<string, string[]>();
  for (const p of spf.providers) {
    if (p.found !== false || !p.include || !p.host) continue;
    const list = missing.get(p.host) ?? [];
    if (!list.includes(p.include)) list.push(p.include);
    missing.set(p.host, list);
  }
  const records: SuggestedRecord[] = [];
  for (const [host, includes] of missing) {
    const names = includes.join(" and ");
    if (host === spf.host && spf.result === "found" && spf.record) {
      // A record the service cut or escaped for display cannot be handed back as the one to publish.
      if (!isWhole(spf.record)) continue;
      records.push({ label: `SPF record for ${host}`, type: "TXT", host, value: withIncludes(spf.record, includes), why: `your SPF record at ${host} with ${names} added (replace the current one: a domain may have only one).` });
    } else if (host === spf.host && spf.result === "multiple") {
      // Which of the records to keep is the owner's call: the finding's message says to merge them.
      continue;
    } else if (host === spf.host) {
      records.push({ label: `SPF record for ${host}`, type: "TXT", host, value: `v=spf1 ${includes.join(" ")} ~all`, why: `an SPF record at ${host} that authorizes your providers.` });
    } else {
      records.push({
        label: `SPF record for ${host}`,
        type: "TXT",
        host,
        value: `v=spf1 ${includes.join(" ")} ~all`,
        why: `an SPF record at ${host}; if it already has one, add ${names} to it instead.`,
      });
    }
  }
  return records;
}

export function suggestedDmarc(dmarc: DmarcView): SuggestedRecord | null {
  if (dmarc.result !== "missing") return null;
  return {
    label: `DMARC record for ${dmarc.host}`,
    type: "TXT",
    host: dmarc.host,
    value: "v=DMARC1; p=none",
    why: "a DMARC policy. p=none only monitors; once SPF and DKIM pass, tighten it to p=quarantine or p=reject.",
  };
}
