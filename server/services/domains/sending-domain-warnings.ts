import { getDb, Prisma } from "../../db";
import { domainAndParents } from "./hostname";

/**
 * Warnings for a send from `fromEmail`: its domain (or the nearest registered parent of it) is registered
 * by the tenant but not verified. The email still goes out (the providers decide); the 202 says so. One
 * statement on the unique (tenantId, name) index, a few probes: cheap on the hot path, also for a tenant
 * with no domains at all.
 */
export async function sendingDomainWarnings(tenantId: string, fromEmail: string): Promise<string[]> {
  const at = fromEmail.lastIndexOf("@");
  const names = domainAndParents(fromEmail.slice(at + 1));
  if (at < 0 || names.length === 0) return [];
  const db = await getDb();
  // The most specific registered name decides: a verified mail.a.com covers x@mail.a.com even if a.com is pending.
  const rows = await db.$queryRaw<{ name: string; status: string }[]>(Prisma.sql`
    SELECT "name", "status"::text AS "status" FROM "Domain"
    WHERE "tenantId" = ${tenantId}::uuid AND "name" = ANY(${names}::text[])
    ORDER BY length("name") DESC LIMIT 1`);
  const nearest = rows[0];
  if (!nearest || nearest.status === "verified") return [];
  return [`Domain ${nearest.name} is not verified (${nearest.status}): the email is accepted and will be sent, but providers may reject it or mark it as spam. Publish its TXT record and call POST /api/v1/domains/:id/verify.`];
}
