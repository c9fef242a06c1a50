import { getDb, Prisma } from "../../db";
import { logger } from "../../lib/logger";
import { domainAndParents } from "./hostname";

/**
 * Warnings for a send from `fromEmail`: its domain (or the nearest registered parent of it) is registered
 * by the tenant but not verified. The email still goes out (the providers decide); the 202 says so. One
 * statement on the unique (tenantId, name) index, a few probes: cheap on the hot path, also for a tenant
 * with no domains at all. A new email's insert reads the same beside it (queue-email.ts, no extra round trip);
 * this is for emails answered from their idempotency key.
 */
export async function sendingDomainWarnings(tenantId: string, fromEmail: string): Promise<string[]> {
  const names = sendingDomainNames(fromEmail);
  if (names.length === 0) return [];
  const db = await getDb();
  // The most specific registered name decides: a verified mail.a.com covers x@mail.a.com even if a.com is pending.
  const rows = await db.$queryRaw<SendingDomain[]>(Prisma.sql`
    SELECT "name", "status"::text AS "status" FROM "Domain"
    WHERE "tenantId" = ${tenantId}::uuid AND "name" = ANY(${names}::text[])
    ORDER BY length("name") DESC LIMIT 1`);
  return domainWarnings(rows[0] ?? null);
}

/** The nearest registered domain of a sender (the most specific name), as the send's insert reads it beside the email. */
export interface SendingDomain {
  name: string;
  status: string;
}

/** The names a sender's domain is covered by: its domain and each parent (not the bare TLD); none for a malformed address. */
export function sendingDomainNames(fromEmail: string): string[] {
  const at = fromEmail.lastIndexOf("@");
  return at < 0 ? [] : domainAndParents(fromEmail.slice(at + 1));
}

/** The 202's warnings for the sender's nearest registered domain (null: none registered). */
export function domainWarnings(nearest: SendingDomain | null): string[] {
  if (!nearest || nearest.status === "verified") return [];
  return [`Domain ${nearest.name} is not verified (${nearest.status}): the email is accepted and will be sent, but providers may reject it or mark it as spam. Publish its TXT record and call POST /api/v1/domains/:id/verify.`];
}

/**
 * The warnings of an accepted email's 202: from what its insert read beside it, or — an idempotent replay —
 * looked up now. Best effort: the email is accepted, so a failed lookup must not turn the 202 into an error.
 */
export async function acceptedEmailWarnings(tenantId: string, accepted: AcceptedForWarnings): Promise<string[]> {
  return (await acceptedEmailsWarnings(tenantId, [accepted]))[0]!;
}

type AcceptedForWarnings = { email: { fromEmail: string }; sendingDomain?: SendingDomain | null };

/** As acceptedEmailWarnings, for a batch: replayed items are looked up once per sender, in parallel. */
export async function acceptedEmailsWarnings(tenantId: string, accepted: AcceptedForWarnings[]): Promise<string[][]> {
  const lookups = new Map<string, Promise<string[]>>();
  const lookUp = (fromEmail: string) => {
    let lookup = lookups.get(fromEmail);
    if (!lookup) {
      lookup = sendingDomainWarnings(tenantId, fromEmail).catch((error: unknown) => {
        logger.warn("sending-domain warnings unavailable", { tenantId, error });
        return [];
      });
      lookups.set(fromEmail, lookup);
    }
    return lookup;
  };
  return Promise.all(accepted.map((a) => (a.sendingDomain !== undefined ? domainWarnings(a.sendingDomain) : lookUp(a.email.fromEmail))));
}
