import { getDb, type DomainStatus } from "../../db";
import { checkDomainDns, type DomainFindings } from "./check-domain-dns";
import { getDomainOrThrow } from "./get-domain";

/**
 * Looks the token up in DNS and records the answer (`findings`). The token found → verified (verified_at
 * kept from the first success while it stays verified). A definite answer without it (no record, other
 * values) → failed, also for a domain verified before: its owner removed the proof. A lookup that could
 * not complete (timeout, SERVFAIL) proves nothing either way: a verified domain stays verified, any other
 * becomes failed; the message says to try again.
 */
export async function verifyDomain(tenantId: string, id: string) {
  const domain = await getDomainOrThrow(tenantId, id);
  const db = await getDb();
  // The providers that would send for it: the tenant's enabled connections, in failover order.
  const connections = await db.providerConnection.findMany({ where: { tenantId, enabled: true }, select: { provider: true }, orderBy: [{ priority: "asc" }, { createdAt: "asc" }] });
  const providers = [...new Set(connections.map((c) => c.provider))];
  const now = new Date();
  const findings = await checkDomainDns(domain.name, domain.verificationToken, providers, now);
  const { status, verifiedAt } = nextState(domain.status, domain.verifiedAt, findings, now);
  // Deleted meanwhile: the update finds no row (P2025), which the REST wrapper answers 404.
  return db.domain.update({ where: { id, tenantId }, data: { status, verifiedAt, lastCheckedAt: now, findings: findings as object } });
}

function nextState(status: DomainStatus, verifiedAt: Date | null, findings: DomainFindings, now: Date): { status: DomainStatus; verifiedAt: Date | null } {
  const result = findings.verification.result;
  if (result === "found" || (result === "dns_error" && status === "verified")) return { status: "verified", verifiedAt: status === "verified" ? (verifiedAt ?? now) : now };
  return { status: "failed", verifiedAt: null };
}
