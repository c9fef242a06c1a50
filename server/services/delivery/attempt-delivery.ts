/**
 * One attempt of one email on one provider connection: the body of one durable step. Provider failures
 * are results, not exceptions (so the step's outcome is memoized and the send path decides): transient
 * moves on to the next provider, permanent stops. Only infrastructure faults throw (and the step retries).
 */
import { getDb, type Email, type Prisma, type ProviderConnection } from "../../db";
import { env } from "../../env";
import { logger } from "../../lib/logger";
import { getProviderAdapter } from "../../providers";
import { isProviderError, ProviderError, type OutboundMessage, type SendResult } from "../../providers/types";
import { admitThroughCircuit, recordCircuitFailure, recordCircuitSuccess } from "../circuit-breaker/circuit-breaker";
import { beginAttempt, endAttempt, stalledFor } from "../circuit-breaker/pending-attempts";
import { checkOutboundTargets } from "../provider-connections/check-outbound";
import { toProviderConfig, type StoredSettings } from "../provider-connections/connection-secrets";
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
  const [email, connection] = await Promise.all([
    db.email.findFirst({ where: { id: emailId, tenantId } }),
    sandbox ? null : db.providerConnection.findFirst({ where: { id: entry.connectionId, tenantId } }),
  ]);
  if (!email) return { result: "stopped", status: "missing" };
  if (email.status !== "queued" && email.status !== "sending") return { result: "stopped", status: email.status };
  const provider = connection?.provider ?? entry.provider;
  const eventBase = { tenantId, emailId, provider: connection?.provider ?? null, connectionId: connection?.id ?? null };

  if (!sandbox) {
    const skip = connection && connection.enabled ? await circuitSkipReason(connection) : "Connection was removed or disabled";
    if (skip) {
      await db.emailEvent.create({ data: { ...eventBase, type: "skipped", data: { reason: skip } } });
      return { result: "skipped", provider, reason: skip };
    }
  }

  const { count } = await db.email.updateMany({ where: { id: emailId, tenantId, status: { in: ["queued", "sending"] } }, data: { status: "sending", attempts: { increment: 1 } } });
  if (count === 0) return { result: "stopped", status: "final" };

  const started = performance.now();
  try {
    const result = await send(email, connection, provider);
    const durationMs = Math.round(performance.now() - started);
    await db.$transaction([
      db.email.updateMany({
        where: { id: emailId, tenantId },
        data: { status: "sent", sentAt: new Date(), provider: connection?.provider ?? null, connectionId: connection?.id ?? null, providerMessageId: result.providerMessageId, lastError: null },
      }),
      db.emailEvent.create({
        data: {
          ...eventBase,
          type: "sent",
          data: { message_id: result.providerMessageId, duration_ms: durationMs, round: ctx.round, ...(email.test ? { test: true, sandbox: true } : {}), ...(ctx.priorAmbiguous ? { possible_duplicate: true } : {}) },
        },
      }),
    ]);
    if (connection && !email.test) await recordCircuitSuccess(tenantId, connection.id);
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
    await db.$transaction([
      db.emailEvent.create({ data: { ...eventBase, type: "attempt_failed", data } }),
      db.email.updateMany({ where: { id: emailId, tenantId }, data: { lastError: `${provider}: ${error.reason}`.slice(0, 1000) } }),
    ]);
    if (connection && !email.test && error.kind === "transient") await recordCircuitFailure(tenantId, connection.id, error.reason);
    return { result: error.kind, provider, reason: error.reason, accepted: error.accepted };
  }
}

async function circuitSkipReason(connection: ProviderConnection): Promise<string | null> {
  const stalled = stalledFor(connection.id, env.SLOW_PROVIDER_MS);
  if (stalled !== null) return `Provider not answering: a request has been pending for ${stalled} ms`;
  const decision = await admitThroughCircuit(connection);
  if (decision.go) return null;
  return decision.state === "half_open" ? "Circuit half-open: another send is probing this connection" : `Circuit open until ${decision.retryAt?.toISOString() ?? "further notice"}`;
}

async function send(email: Email, connection: ProviderConnection | null, provider: string): Promise<SendResult> {
  const message = toOutboundMessage(email);
  if (email.test || !connection) return sendToSandbox(provider, email.metadata as Record<string, unknown>);
  try {
    await checkOutboundTargets(connection.provider, connection.settings as StoredSettings);
  } catch (error) {
    throw new ProviderError({ kind: "permanent", reason: error instanceof Error ? error.message : "Endpoint not allowed" });
  }
  const token = beginAttempt(connection.id);
  let answered = false;
  try {
    const result = await getProviderAdapter(connection.provider).send(message, toProviderConfig(connection), { timeoutMs: env.PROVIDER_TIMEOUT_MS });
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

interface StoredAttachment {
  filename: string;
  content: string;
  content_type: string;
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
