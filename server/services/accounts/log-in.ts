import { dummyPasswordHash, verifyPassword } from "../../auth/password";
import { signSessionToken } from "../../auth/jwt";
import { getDb } from "../../db";
import { AppError } from "../../lib/errors";
import { countLoginAttempt } from "../auth/login-throttle";
import type { LoginInput } from "./schemas";
import type { AccountSession } from "./types";

/**
 * Wrong email and wrong password answer alike (same error, same work), so neither is revealed; both count
 * toward the account's failed-login limit, which refuses even the right password once exceeded.
 */
export async function logIn(input: LoginInput): Promise<AccountSession> {
  const attempt = await countLoginAttempt(input.email);
  const db = await getDb();
  const user = await db.user.findUnique({ where: { email: input.email }, include: { tenant: true } });
  const valid = await verifyPassword(input.password, user?.passwordHash ?? (await dummyPasswordHash()));
  if (!user || !valid) throw new AppError("unauthorized", "Invalid email or password");
  await attempt.forgive();
  const session = await signSessionToken({ userId: user.id, tenantId: user.tenantId });
  return { user, tenant: user.tenant, ...session };
}
