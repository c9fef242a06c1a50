/**
 * One attempt of one email on one provider connection: the body of one durable step. Provider failures
 * are results, not exceptions (so the step's outcome is memoized and the send path decides): transient
 * moves on to the next provider, permanent stops. Only infrastructure faults throw (and the step retries).
 */
import { getDb, Prisma, type Email, type ProviderConnection } from "../../db";
import { env } from "../../env";
import { logger } from "../../lib/logger";
import { getProviderAdapter } from "../../providers";
import { overrideHeaders } from "../../providers/shared/message-fields";
import { isProviderError, ProviderError, type MessageOverrides, type OutboundMessage, type ProviderName, type SendResult } from "../../providers/types";
import { admitThroughCircuit, recordCircuitFailure, recordCircuitSuccess } from "../circuit-breaker/circuit-breaker";
import { beginAttempt, endAttempt, stalledFor } from "../circuit-breaker/pending-attempts";
import { assertSendTargetsAllowed } from "../provider-connections/check-outbound";
import { toProviderConfig, type StoredSettings } from "../provider-connections/connection-secrets";
import { openProviderOverrides } from "../emails/provider-override-storage";
import { overridesForProvider, type ProviderOverridesInput } from "../emails/provider-overrides";
import type { StoredAttachment } from "../emails/schemas";
import { AttemptInFlightError, attemptLeaseMs, claimAttempt, holdsAttempt, RELEASE_ATTEMPT } from "./attempt-claim";
import { recordAcceptedSend, withWriteRetries, type AcceptedSend } from "./record-accepted-send";
import { updateEmailWithEvent } from "./email-state";
import { sendToSandbox } from "./sandbox";
import type { PlanEntry } from "./resolve-plan";

export type AttemptOutcome =
  | { result: "sent"; provider: string; providerMessageId: string; unrecorded?: AcceptedSend }
  | { result: "transient" | "permanent"; provider: string; reason: string; accepted: "no" | "unknown" }
  | { result: "skipped"; provider: string; reason: string }
  | { result: "stopped"; status: string };

export interface AttemptContext {
  round: number;
  /** An earlier attempt may have been accepted (ambiguous timeout): a success now may be a duplicate. */
  priorAmbiguous: boolean;
  /** A test-mode email: it ends at the sandbox and never touches a connection's circuit. */
  test?: boolean;
}

/**
 * Throws AttemptInFlightError when another attempt of this email may still be inside the provider call
 * (the caller retries after the lease); any other throw is an infrastructure fault from BEFORE the provider
 * was called. After a provider accepted, nothing throws: the outcome says whether the write is still owed.
 */
export async function attemptDelivery(tenantId: string, emailId: string, entry: PlanEntry, ctx: AttemptContext, planned?: ProviderConnection): Promise<AttemptOutcome> {
  const db = await getDb();
  const sandbox = entry.provider === "sandbox";
  // `planned`: the row the round's plan read in this same step (the tenant's, this id); later attempts read it afresh.
  const usable = planned && planned.id === entry.connectionId && planned.tenantId === tenantId ? planned : undefined;
  const connection = sandbox ? null : (usable ?? (await db.providerConnection.findFirst({ where: { id: entry.connectionId, tenantId } })));
  const provider = connection?.provider ?? entry.provider;
  const eventBase = { tenantId, emailId, provider: connection?.provider ?? null, connectionId: connection?.id ?? null };

  if (!sandbox) {
    const skip = connection && connection.enabled ? await circuitSkipReason(connection, ctx.test === true) : "Connection was removed or disabled";
    if (skip) {
      await db.emailEvent.create({ data: { ...eventBase, type: "skipped", data: { reason: skip } } });
      return { result: "skipped", provider, reason: skip };
    }
  }

  const claim = await claimAttempt(tenantId, emailId);
  if (claim.kind === "final") return { result: "stopped", status: claim.status };
  if (claim.kind === "busy") throw new AttemptInFlightError(claim.retryAfterMs);
  const { email, token } = claim;
  // Until shortly before the lease ends no other holder can take this attempt over, so a write owed after
  // acceptance is retried until then: when the database comes back in time, this holder's record wins.
  const writeDeadline = performance.now() + attemptLeaseMs() - 2_000;
  if (claim.tookOver) logger.warn("took over a provider attempt whose holder never reported back; the send may be a duplicate", { emailId, provider });

  const started = performance.now();
  let result: SendResult;
  try {
    result = await send(email, connection, provider);
  } catch (error) {
    if (!isProviderError(error)) {
      await releaseAttempt(tenantId, emailId, token);
      throw error;
    }
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
    await withWriteRetries(() => recordAttemptFailed(tenantId, emailId, connection, token, `${provider}: ${error.reason}`.slice(0, 1000), data), writeDeadline);
    if (connection && !email.test && error.kind === "transient") {
      await recordCircuitFailure(tenantId, connection.id, error.reason).catch((e: unknown) => logger.warn("could not record a circuit failure", { error: e, connectionId: connection.id }));
    }
    return { result: error.kind, provider, reason: error.reason, accepted: error.accepted };
  }

  // The provider accepted: from here on nothing may throw, or the step would be retried and call it again.
  const durationMs = Math.round(performance.now() - started);
  const possibleDuplicate = ctx.priorAmbiguous || claim.tookOver;
  const accepted: AcceptedSend = {
    token,
    connectionId: connection?.id ?? null,
    provider: connection?.provider ?? null,
    providerMessageId: result.providerMessageId,
    possibleDuplicate,
    data: { message_id: result.providerMessageId, duration_ms: durationMs, round: ctx.round, ...(email.test ? { test: true, sandbox: true } : {}), ...(possibleDuplicate ? { possible_duplicate: true } : {}) },
  };
  const outcome: AttemptOutcome = { result: "sent", provider, providerMessageId: result.providerMessageId };
  try {
    await withWriteRetries(() => recordAcceptedSend(tenantId, emailId, accepted), writeDeadline);
  } catch (error) {
    logger.error("a provider accepted the email but recording it failed; a later step records it", { emailId, provider, error });
    return { ...outcome, unrecorded: accepted };
  }
  if (connection && !email.test) {
    await recordCircuitSuccess(connection).catch((error: unknown) => logger.warn("could not record a circuit success", { error, connectionId: connection.id }));
  }
  return outcome;
}

async function recordAttemptFailed(tenantId: string, emailId: string, connection: ProviderConnection | null, token: string, lastError: string, data: Prisma.InputJsonObject): Promise<void> {
  await updateEmailWithEvent({ tenantId, emailId, connection, token, set: Prisma.sql`"lastError" = ${lastError}`, type: "attempt_failed", data });
}

/** An attempt that failed before reaching the provider gives its lease back, so the step's retry need not wait. */
async function releaseAttempt(tenantId: string, emailId: string, token: string): Promise<void> {
  const db = await getDb();
  await db.$executeRaw(Prisma.sql`UPDATE "Email" SET ${RELEASE_ATTEMPT} WHERE "id" = ${emailId}::uuid AND "tenantId" = ${tenantId}::uuid ${holdsAttempt(token)}`).catch(
    (error: unknown) => logger.warn("could not release a provider attempt; it lapses with its lease", { emailId, error }),
  );
}

async function circuitSkipReason(connection: ProviderConnection, test: boolean): Promise<string | null> {
  const stalled = stalledFor(connection.id, env.SLOW_PROVIDER_MS);
  if (stalled !== null) return `Provider not answering: a request has been pending for ${stalled} ms`;
  // A test email never reaches the provider, so it proves nothing about its health: it must not take the
  // half-open probe (live emails would then wait on a probe that cannot tell). The plan already skipped
  // connections cooling down, for test and live emails alike.
  if (test) return null;
  const decision = await admitThroughCircuit(connection);
  if (decision.go) return null;
  return decision.state === "half_open" ? "Circuit half-open: another send is probing this connection" : `Circuit open until ${decision.retryAt?.toISOString() ?? "further notice"}`;
}

async function send(email: Email, connection: ProviderConnection | null, provider: string): Promise<SendResult> {
  if (email.test || !connection) return sendToSandbox(provider, email.metadata as Record<string, unknown>);
  // A refused address is permanent; a temporary DNS failure transient (fail over, counts toward the circuit).
  await assertSendTargetsAllowed(connection.provider, connection.settings as StoredSettings);
  const token = beginAttempt(connection.id);
  let answered = false;
  const message = toOutboundMessage(email, connection.provider);
  const config = toProviderConfig(connection);
  try {
    const result = await getProviderAdapter(connection.provider).send(message, config, { timeoutMs: env.PROVIDER_TIMEOUT_MS });
    answered = true;
    return result;
  } catch (error) {
    answered = isProviderError(error) && error.status !== undefined;
    if (isProviderError(error)) throw error;
    // Thrown from inside the provider call, so the request may have gone out: never a silent resend.
    throw new ProviderError({ kind: "transient", reason: `Unexpected error during the provider call: ${error instanceof Error ? error.message : String(error)}`, accepted: "unknown" });
  } finally {
    endAttempt(connection.id, token, answered);
    logger.debug("provider attempt", { emailId: email.id, provider, answered });
  }
}

/** The email as the adapter of `provider` receives it, with that provider's override (if the send had one). */
export function toOutboundMessage(email: Email, provider: ProviderName): OutboundMessage {
  const overrides = messageOverrides(email, provider);
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
    // Reserved names dropped again here: an email stored before a name was refused must not carry it out.
    headers: { ...overrideHeaders(email.headers), ...unsubscribeHeaders(email) },
    attachments: ((email.attachments ?? []) as unknown as StoredAttachment[]).map((a) => ({ filename: a.filename, content: a.content, contentType: a.content_type })),
    ...(overrides ? { overrides } : {}),
  };
}

/** Only the entry for this attempt's provider; an SMTP config override's auth unsealed while it is kept. */
function messageOverrides(email: Email, provider: ProviderName): MessageOverrides | undefined {
  if (!email.providerOverrides) return undefined;
  const stored = { overrides: email.providerOverrides as ProviderOverridesInput, sealedAuth: email.providerOverrideAuth };
  // Only an SMTP attempt uses the config's auth: the others never unseal it.
  return overridesForProvider(provider === "smtp" ? openProviderOverrides(email.id, stored) : stored.overrides, provider);
}

/** RFC 8058 one-click unsubscribe: the link, and the header that tells mail clients a POST to it is enough. */
function unsubscribeHeaders(email: Email): Record<string, string> {
  if (!email.unsubscribeUrl) return {};
  return { "List-Unsubscribe": `<${email.unsubscribeUrl}>`, "List-Unsubscribe-Post": "List-Unsubscribe=One-Click" };
}
