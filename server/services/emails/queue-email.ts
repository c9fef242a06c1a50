import { getDb, Prisma, type Email } from "../../db";
import { uuidv7 } from "../../lib/ids";
import { isTestKey, type Principal } from "../auth/authenticate-request";
import type { SendEmailInput } from "./schemas";

export const IDEMPOTENCY_WINDOW_MS = 24 * 60 * 60 * 1000;

export interface QueuedEmail {
  email: Email;
  /** True when an earlier email with the same idempotency key was returned instead of a new one. */
  replayed: boolean;
}

/**
 * Stores the email as queued with its `queued` event (one atomic write). The same idempotency key within
 * 24 h returns the original email — also when requests race, through the unique (tenant, test, key) index.
 * Keys are scoped per mode: a test send never answers a live send with the same key, nor the reverse.
 */
export async function queueEmail(tenantId: string, principal: Principal, input: SendEmailInput): Promise<QueuedEmail> {
  const key = typeof input.metadata.idempotency_key === "string" ? input.metadata.idempotency_key : undefined;
  const test = isTestKey(principal);
  try {
    return { email: await insertEmail(tenantId, principal, input, key), replayed: false };
  } catch (error) {
    if (!key || !isUniqueViolation(error)) throw error;
  }
  const db = await getDb();
  const sameKey = { tenantId, test, idempotencyKey: key };
  const existing = await db.email.findFirst({ where: sameKey });
  if (existing && existing.createdAt.getTime() > Date.now() - IDEMPOTENCY_WINDOW_MS) return { email: existing, replayed: true };
  // The key is older than 24 h: it is free again. Release it from the old email, then store the new one.
  await db.email.updateMany({ where: { ...sameKey, createdAt: { lte: new Date(Date.now() - IDEMPOTENCY_WINDOW_MS) } }, data: { idempotencyKey: null } });
  try {
    return { email: await insertEmail(tenantId, principal, input, key), replayed: false };
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    return { email: await db.email.findFirstOrThrow({ where: sameKey }), replayed: true };
  }
}

/**
 * The email and its `queued` event in ONE statement (data-modifying CTE): atomic without a transaction's
 * BEGIN/COMMIT round trips, on the hottest path of the API.
 */
async function insertEmail(tenantId: string, principal: Principal, input: SendEmailInput, idempotencyKey: string | undefined): Promise<Email> {
  const db = await getDb();
  const now = new Date();
  const apiKeyId = principal.kind === "api_key" ? principal.apiKeyId : null;
  const test = isTestKey(principal);
  const rows = await db.$queryRaw<Email[]>(Prisma.sql`
    WITH e AS (
      INSERT INTO "Email" ("id", "tenantId", "apiKeyId", "test", "fromEmail", "fromName", "toEmail", "toName", "replyTo", "subject",
        "htmlBody", "textBody", "tags", "metadata", "headers", "attachments", "idempotencyKey", "status", "attempts",
        "queuedAt", "createdAt", "updatedAt")
      VALUES (${uuidv7(now.getTime())}::uuid, ${tenantId}::uuid, ${apiKeyId}::uuid, ${test}, ${input.from_email}, ${input.from_name ?? null},
        ${input.to_email}, ${input.to_name ?? null}, ${input.reply_to ?? null}, ${input.subject}, ${input.html_body ?? null}, ${input.text_body ?? null},
        ${input.tags}::text[], ${JSON.stringify(input.metadata)}::jsonb, ${JSON.stringify(input.headers)}::jsonb, ${JSON.stringify(input.attachments)}::jsonb,
        ${idempotencyKey ?? null}, 'queued', 0, ${now}, ${now}, ${now})
      RETURNING *
    ), ev AS (
      INSERT INTO "EmailEvent" ("id", "tenantId", "emailId", "type", "occurredAt", "data")
      SELECT ${uuidv7(now.getTime())}::uuid, e."tenantId", e."id", 'queued', ${now}, '{}'::jsonb FROM e
    )
    SELECT * FROM e`);
  return rows[0]!;
}

/** P2002 from the query builder; from a raw query, P2010 carrying Postgres' 23505. */
function isUniqueViolation(error: unknown): boolean {
  if (!(error instanceof Prisma.PrismaClientKnownRequestError)) return false;
  if (error.code === "P2002") return true;
  return error.code === "P2010" && /23505|unique constraint/i.test(JSON.stringify(error.meta ?? {}) + error.message);
}
