import { hashPassword } from "../../auth/password";
import { signSessionToken } from "../../auth/jwt";
import { getDb, Prisma } from "../../db";
import { AppError } from "../../lib/errors";
import type { RegisterInput } from "./schemas";
import type { AccountSession } from "./types";

/** Creates a tenant with its owner and signs the owner in. A taken email is a 422, as the seed's errors are. */
export async function registerAccount(input: RegisterInput): Promise<AccountSession> {
  const db = await getDb();
  const passwordHash = await hashPassword(input.password);
  try {
    const user = await db.$transaction(async (tx) => {
      const tenant = await tx.tenant.create({ data: { name: input.name } });
      return tx.user.create({ data: { tenantId: tenant.id, name: input.name, email: input.email, passwordHash, role: "owner" }, include: { tenant: true } });
    });
    const session = await signSessionToken({ userId: user.id, tenantId: user.tenantId });
    return { user, tenant: user.tenant, ...session };
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") {
      throw AppError.validation("email has already been taken");
    }
    throw error;
  }
}
