/**
 * Failed logins per account, independent of the client address (which an attacker can spread over many
 * hosts): after FAILED_LOGIN_LIMIT failures in a 15-minute window the account's logins answer 429 — even
 * with the right password — until the window ends. An unknown email is counted the same way, so the limit
 * says nothing about which accounts exist.
 *
 * The attempt is counted BEFORE the password is checked (one atomic upsert) and forgiven after a success,
 * so concurrent guesses cannot all pass a "fewer than 10 so far?" check at once.
 */
import { getDb, Prisma } from "../../db";
import { sha256Hex } from "../../lib/crypto";
import { AppError } from "../../lib/errors";

export const FAILED_LOGIN_LIMIT = 10;
export const FAILED_LOGIN_WINDOW_MS = 15 * 60_000;

export interface LoginAttempt {
  /** The attempt succeeded: it does not count as a failure. */
  forgive(): Promise<void>;
}

export async function countLoginAttempt(email: string, now = Date.now()): Promise<LoginAttempt> {
  const start = Math.floor(now / FAILED_LOGIN_WINDOW_MS) * FAILED_LOGIN_WINDOW_MS;
  const end = start + FAILED_LOGIN_WINDOW_MS;
  // Hashed: the table holds no addresses, and every key has the same length whatever was typed.
  const key = `login:${sha256Hex(email.trim().toLowerCase())}:${start}`;
  const db = await getDb();
  const rows = await db.$queryRaw<{ count: number }[]>(Prisma.sql`
    INSERT INTO "RateLimitWindow" ("key", "count", "expiresAt")
    VALUES (${key}, 1, ${new Date(end)})
    ON CONFLICT ("key") DO UPDATE SET "count" = "RateLimitWindow"."count" + 1
    RETURNING "count"`);
  if (Number(rows[0]?.count ?? 1) > FAILED_LOGIN_LIMIT) {
    const retryAfter = Math.max(1, Math.ceil((end - now) / 1000));
    throw new AppError("rate_limited", "Too many failed logins for this account", { headers: { "Retry-After": String(retryAfter) } });
  }
  return {
    forgive: async () => {
      await db.$executeRaw(Prisma.sql`UPDATE "RateLimitWindow" SET "count" = GREATEST("count" - 1, 0) WHERE "key" = ${key}`);
    },
  };
}
