/**
 * One attempt of one email on one provider connection: the body of one durable step. Provider failures
 * are results, not exceptions (so the step's outcome is memoized and the send path decides): transient
 * moves on to the next provider, permanent stops. Only infrastructure faults throw (and the step retries).
 */
import { getDb, Prisma, type Email, type ProviderConnection } from "../../db";
import { env } from "../../env";
import { logger } from "../../lib/logger";
import { getProviderAdapter } from "../../providers";
import { isProviderError, ProviderError, type OutboundMessage, type SendResult } from "../../providers/types";
import { admitThroughCircuit, recordCircuitFailure, recordCircuitSuccess } from "../circuit-breaker/circuit-breaker";
import { beginAttempt, endAttempt, stalledFor } from "../circuit-breaker/pending-attempts";
import { checkOutboundTargets } from "../provider-connections/check-outbound";
import { toProviderConfig, type StoredSettings } from "../provider-connections/connection-secrets";
import type { StoredAttachment } from "../emails/schemas";
import { updateEmailWithEvent } from "./email-state";
import { sendToSandbox } from "./sandbox";
import type { PlanEntry } from "./resolve-plan";

export type AttemptOutcome =
  | { result: "sent"; provider: string; providerMessageId: string }
  | { result: "transient" | "permanent"; provider: string; reason: string; accepted: "no" | "unknown" }
  | { result: "skipped"; provider: string; reason: string }
  | { result: "stopped"; status: string };

export interface AttemptContext {
  round: number;
  /** An earlier attempt may have been accepted (ambiguous timeout): a success now may be a duplicate. */
  priorAmbiguous: boolean;
}

export async function attemptDelivery(tenantId: string, emailId: string, entry: PlanEntry, ctx: AttemptContext): Promise<AttemptOutcome> {
  const db = await getDb();
  const sandbox = entry.provider === "sandbox";
  const connection = sandbox ? null : await db.providerConnection.findFirst({ where: { id: entry.connectionId, tenantId } });
  const provider = connection?.provider ?? entry.provider;
  const eventBase = { tenantId, emailId, provider: connection?.provider ?? null, connectionId: connection?.id ?? null };

  if (!sandbox) {
    const skip = connection && connection.enabled ? await circuitSkipReason(connection) : "Connection was removed or disabled";
    if (skip) {
      await db.emailEvent.create({ data: { ...eventBase, type: "skipped", data: { reason: skip } } });
      return { result: "skipped", provider, reason: skip };
    }
  }

  const email = await claimForAttempt(tenantId, emailId);
  if (!email) return { result: "stopped", status: "final" };

  const started = performance.now();
  try {
    const result = await send(email, connection, provider);
    const durationMs = Math.round(performance.now() - started);
    const data = { message_id: result.providerMessageId, duration_ms: durationMs, round: ctx.round, ...(email.test ? { test: true, sandbox: true } : {}), ...(ctx.priorAmbiguous ? { possible_duplicate: true } : {}) };
    await recordSent(tenantId, emailId, connection, result.providerMessageId, data);
    if (connection && !email.test) await recordCircuitSuccess(connection);
    return { result: "sent", provider, providerMessageId: result.providerMessageId };
  } catch (error) {
    if (!isProviderError(error)) throw error;
    const durationMs = Math.round(performance.now() - started);
    const data: Prisma.InputJsonObject = {
      reason: error.reason,
      kind: error.kind,
      accepted: error.accepted,
      duration_ms: durationMs,
      round: ctx.round,
      ...(error.code ? { code: error.code } : {}),
      ...(error.status ? { status: error.status } : {}),
      ...(error.retryAfterMs !== undefined ? { retry_after_ms: error.retryAfterMs } : {}),
    };
    await recordAttemptFailed(tenantId, emailId, connection, `${provider}: ${error.reason}`.slice(0, 1000), data);
    if (connection && !email.test && error.kind === "transient") await recordCircuitFailure(tenantId, connection.id, error.reason);
    return { result: error.kind, provider, reason: error.reason, accepted: error.accepted };
  }
}

/** Marks the email `sending` (attempts + 1) and loads it, in one statement; null when it is already final. */
async function claimForAttempt(tenantId: string, emailId: string): Promise<Email | null> {
  const db = await getDb();
  const rows = await db.$queryRaw<Email[]>(Prisma.sql`
    UPDATE "Email" SET "status" = 'sending', "attempts" = "attempts" + 1, "updatedAt" = ${new Date()}
    WHERE "id" = ${emailId}::uuid AND "tenantId" = ${tenantId}::uuid AND "status" IN ('queued', 'sending')
    RETURNING *`);
  return rows[0] ?? null;
}

async function recordSent(tenantId: string, emailId: string, connection: ProviderConnection | null, providerMessageId: string, data: Prisma.InputJsonObject): Promise<void> {
  const set = Prisma.sql`"status" = 'sent', "sentAt" = ${new Date()}, "lastError" = NULL, "provider" = ${connection?.provider ?? null}::"ProviderName",
    "connectionId" = ${connection?.id ?? null}::uuid, "providerMessageId" = ${providerMessageId}`;
  await updateEmailWithEvent({ tenantId, emailId, connection, set, type: "sent", data });
}

async function recordAttemptFailed(tenantId: string, emailId: string, connection: ProviderConnection | null, lastError: string, data: Prisma.InputJsonObject): Promise<void> {
  await updateEmailWithEvent({ tenantId, emailId, connection, set: Prisma.sql`"lastError" = ${lastError}`, type: "attempt_failed", data });
}

async function circuitSkipReason(connection: ProviderConnection): Promise<string | null> {
  const stalled = stalledFor(connection.id, env.SLOW_PROVIDER_MS);
  if (stalled !== null) return `Provider not answering: a request has been pending for ${stalled} ms`;
  const decision = await admitThroughCircuit(connection);
  if (decision.go) return null;
  return decision.state === "half_open" ? "Circuit half-open: another send is probing this connection" : `Circuit open until ${decision.retryAt?.toISOString() ?? "further notice"}`;
}

async function send(email: Email, connection: ProviderConnection | null, provider: string): Promise<SendResult> {
  if (email.test || !connection) return sendToSandbox(provider, email.metadata as Record<string, unknown>);
  try {
    await checkOutboundTargets(connection.provider, connection.settings as StoredSettings);
  } catch (error) {
    throw new ProviderError({ kind: "permanent", reason: error instanceof Error ? error.message : "Endpoint not allowed" });
  }
  const token = beginAttempt(connection.id);
  let answered = false;
  try {
    const result = await getProviderAdapter(connection.provider).send(toOutboundMessage(email), toProviderConfig(connection), { timeoutMs: env.PROVIDER_TIMEOUT_MS });
    answered = true;
    return result;
  } catch (error) {
    answered = isProviderError(error) && error.status !== undefined;
    throw error;
  } finally {
    endAttempt(connection.id, token, answered);
    logger.debug("provider attempt", { emailId: email.id, provider, answered });
  }
}

export function toOutboundMessage(email: Email): OutboundMessage {
  const metadata = Object.fromEntries(Object.entries((email.metadata ?? {}) as Record<string, unknown>).map(([k, v]) => [k, String(v)]));
  return {
    emailId: email.id,
    from: email.fromEmail,
    ...(email.fromName ? { fromName: email.fromName } : {}),
    to: email.toEmail,
    ...(email.toName ? { toName: email.toName } : {}),
    ...(email.replyTo ? { replyTo: email.replyTo } : {}),
    subject: email.subject,
    ...(email.htmlBody ? { html: email.htmlBody } : {}),
    ...(email.textBody ? { text: email.textBody } : {}),
    tags: email.tags,
    metadata,
    headers: (email.headers ?? {}) as Record<string, string>,
    attachments: ((email.attachments ?? []) as unknown as StoredAttachment[]).map((a) => ({ filename: a.filename, content: a.content, contentType: a.content_type })),
  };
}
