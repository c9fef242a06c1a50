import { getDb, Prisma, type Email } from "../../db";
import type { Principal } from "../auth/authenticate-request";
import type { SendEmailInput } from "./schemas";

export const IDEMPOTENCY_WINDOW_MS = 24 * 60 * 60 * 1000;

export interface QueuedEmail {
  email: Email;
  /** True when an earlier email with the same idempotency key was returned instead of a new one. */
  replayed: boolean;
}

/**
 * Stores the email as queued with its `queued` event (one atomic write). The same idempotency key within
 * 24 h returns the original email — also when requests race, through the unique (tenant, key) index.
 */
export async function queueEmail(tenantId: string, principal: Principal, input: SendEmailInput): Promise<QueuedEmail> {
  const key = typeof input.metadata.idempotency_key === "string" ? input.metadata.idempotency_key : undefined;
  try {
    return { email: await insertEmail(tenantId, principal, input, key), replayed: false };
  } catch (error) {
    if (!key || !isUniqueViolation(error)) throw error;
  }
  const db = await getDb();
  const existing = await db.email.findFirst({ where: { tenantId, idempotencyKey: key } });
  if (existing && existing.createdAt.getTime() > Date.now() - IDEMPOTENCY_WINDOW_MS) return { email: existing, replayed: true };
  // The key is older than 24 h: it is free again. Release it from the old email, then store the new one.
  await db.email.updateMany({ where: { tenantId, idempotencyKey: key, createdAt: { lte: new Date(Date.now() - IDEMPOTENCY_WINDOW_MS) } }, data: { idempotencyKey: null } });
  try {
    return { email: await insertEmail(tenantId, principal, input, key), replayed: false };
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    return { email: await db.email.findFirstOrThrow({ where: { tenantId, idempotencyKey: key } }), replayed: true };
  }
}

async function insertEmail(tenantId: string, principal: Principal, input: SendEmailInput, idempotencyKey: string | undefined): Promise<Email> {
  const db = await getDb();
  const now = new Date();
  return db.email.create({
    data: {
      tenantId,
      apiKeyId: principal.kind === "api_key" ? principal.apiKeyId : null,
      test: principal.kind === "api_key" && principal.mode === "test",
      fromEmail: input.from_email,
      fromName: input.from_name ?? null,
      toEmail: input.to_email,
      toName: input.to_name ?? null,
      replyTo: input.reply_to ?? null,
      subject: input.subject,
      htmlBody: input.html_body ?? null,
      textBody: input.text_body ?? null,
      tags: input.tags,
      metadata: input.metadata,
      headers: input.headers,
      attachments: input.attachments,
      idempotencyKey: idempotencyKey ?? null,
      queuedAt: now,
      createdAt: now,
      events: { create: { tenantId, type: "queued", occurredAt: now } },
    },
  });
}

function isUniqueViolation(error: unknown): boolean {
  return error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002";
}
