import type { Domain } from "../../db";
import type { DomainFindings } from "../../services/domains/check-domain-dns";
import { iso } from "./format";

/**
 * The seed's domain (id, domain, status, verification_token, verified_at), the record to publish, and the
 * last verification's answer: the TXT values found at `_courierx.<domain>` and why it failed, plus the
 * SPF, DMARC and DKIM findings (null before the first verification, and when the last one did not find
 * the token: they are looked up only for a domain whose owner published it).
 */
export function presentDomain(d: Domain) {
  const findings = d.findings as DomainFindings | null;
  return {
    id: d.id,
    domain: d.name,
    status: d.status,
    verification_token: d.verificationToken,
    dns_record: { type: "TXT", host: `_courierx.${d.name}`, value: d.verificationToken },
    verified_at: iso(d.verifiedAt),
    last_checked_at: iso(d.lastCheckedAt),
    created_at: iso(d.createdAt),
    // found | missing | mismatch | dns_error
    verification_result: findings?.verification.result ?? null,
    txt_records: findings?.verification.txt_records ?? [],
    message: findings?.verification.message ?? null,
    spf: findings?.spf ?? null,
    dmarc: findings?.dmarc ?? null,
    dkim: findings?.dkim ?? null,
  };
}
