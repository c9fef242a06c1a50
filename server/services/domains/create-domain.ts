import { randomBytes } from "node:crypto";
import { getDb, Prisma } from "../../db";
import { AppError } from "../../lib/errors";
import type { CreateDomainInput } from "./schemas";

const TAKEN = "domain has already been registered";

/** Registers a sending domain as pending, with the token its owner publishes at `_courierx.<domain>`. */
export async function createDomain(tenantId: string, input: CreateDomainInput) {
  const db = await getDb();
  const verificationToken = `dns_${randomBytes(24).toString("base64url")}`;
  try {
    return await db.domain.create({ data: { tenantId, name: input.domain, verificationToken } });
  } catch (error) {
    // The unique (tenant, name) index decides, also between two requests racing with the same name.
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") throw AppError.validation(TAKEN);
    throw error;
  }
}
