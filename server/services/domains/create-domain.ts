import { randomBytes } from "node:crypto";
import { getDb, Prisma } from "../../db";
import { AppError } from "../../lib/errors";
import type { CreateDomainInput } from "./schemas";

const TAKEN = "domain has already been registered";

/** Anyone can register any name: a tenant's domains are bounded, like its lookups (one verify, one query until proven). */
export const MAX_DOMAINS_PER_TENANT = 100;

/** Registers a sending domain as pending, with the token its owner publishes at `_courierx.<domain>`. */
export async function createDomain(tenantId: string, input: CreateDomainInput) {
  const db = await getDb();
  const verificationToken = `dns_${randomBytes(24).toString("base64url")}`;
  try {
    return await db.$transaction(async (tx) => {
      // The tenant's row, locked for the count and the insert: two registrations racing at the limit take
      // turns, so the limit holds exactly. NO KEY UPDATE: inserts elsewhere that reference the tenant
      // (KEY SHARE) do not wait for it.
      await tx.$queryRaw(Prisma.sql`SELECT 1 FROM "Tenant" WHERE "id" = ${tenantId}::uuid FOR NO KEY UPDATE`);
      if ((await tx.domain.count({ where: { tenantId } })) >= MAX_DOMAINS_PER_TENANT) {
        throw AppError.validation(`at most ${MAX_DOMAINS_PER_TENANT} domains can be registered: remove one first`);
      }
      return tx.domain.create({ data: { tenantId, name: input.domain, verificationToken } });
    });
  } catch (error) {
    // The unique (tenant, name) index decides, also between two requests racing with the same name.
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") throw AppError.validation(TAKEN);
    throw error;
  }
}
