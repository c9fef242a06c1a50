import nodemailer from "nodemailer";
import { resolveTimeoutMs } from "../shared/call-options";
import { safeText } from "../shared/redact";
import { configurationError } from "../shared/unexpected-error";
import { ProviderError, type CallOptions, type OutboundMessage, type ProviderAdapter, type ProviderConnectionConfig, type SendResult, type VerifyResult } from "../types";
import { classifySmtpError, isConnectionLevelFailure } from "./classify-error";
import { toNodemailerMessage } from "./map-message";
import { connectionWithOverride } from "./override-transport";
import { smtpTransportOptions } from "./transport-options";
import { ensureVerified, getPooledTransport } from "./transports";

async function send(message: OutboundMessage, connection: ProviderConnectionConfig, opts?: CallOptions): Promise<SendResult> {
  if (message.overrides?.smtp) return sendThroughOverride(message, connectionWithOverride(connection, message.overrides.smtp), resolveTimeoutMs(opts));
  if (!connection.settings.smtpHost) throw configurationError("SMTP", "no host configured");
  const pooled = getPooledTransport(connection, resolveTimeoutMs(opts));
  try {
    await ensureVerified(pooled);
  } catch (error) {
    throw classifySmtpError(error, connection, "verify");
  }
  let info: SentInfo;
  try {
    info = await pooled.transporter.sendMail(toNodemailerMessage(message));
  } catch (error) {
    const classified = classifySmtpError(error, connection, "send");
    if (isConnectionLevelFailure(classified)) pooled.verification = null;
    throw classified;
  }
  return sentResult(info, connection);
}

/**
 * A message with its own transport config: a one-off transport (never the pool, which belongs to the
 * stored settings), verified before use as the seed says, closed afterwards. Errors are classified as
 * for the pool, with the override's secrets redacted.
 */
async function sendThroughOverride(message: OutboundMessage, connection: ProviderConnectionConfig, timeoutMs: number): Promise<SendResult> {
  if (!connection.settings.smtpHost) throw configurationError("SMTP", "no host configured");
  const transporter = nodemailer.createTransport(smtpTransportOptions(connection, timeoutMs));
  try {
    try {
      await transporter.verify();
    } catch (error) {
      throw asDestinationError(classifySmtpError(error, connection, "verify"));
    }
    let info: SentInfo;
    try {
      info = await transporter.sendMail(toNodemailerMessage(message));
    } catch (error) {
      throw classifySmtpError(error, connection, "send");
    }
    return sentResult(info, connection);
  } finally {
    transporter.close();
  }
}

/**
 * A stored host is checked before each send, where a name that does not exist is permanent; an override's
 * host is first resolved by its socket, so the same verdict is given here (the seed: an invalid host is a
 * permanent error). Failing over would not help: the next provider never uses this config.
 */
function asDestinationError(error: ProviderError): ProviderError {
  if (error.code !== "ENOTFOUND") return error;
  return new ProviderError({ kind: "permanent", reason: `${error.reason.replace(/ \(ENOTFOUND\)$/, "")}: the override's host does not exist`, code: error.code, accepted: "no" });
}

/** What the pooled and the one-off transport both answer. */
interface SentInfo {
  messageId: string;
  accepted: readonly unknown[];
  rejected: readonly unknown[];
  rejectedErrors?: readonly { response?: string }[] | undefined;
}

function sentResult(info: SentInfo, connection: ProviderConnectionConfig): SendResult {
  const providerMessageId = info.messageId.replace(/^<|>$/g, "");
  // sendMail resolves when only some recipients were refused: that is not a success.
  if (info.rejected.length > 0) {
    const refused = info.rejected.map(String).join(", ");
    const firstResponse = info.rejectedErrors?.[0]?.response;
    throw new ProviderError({
      kind: "permanent",
      reason: safeText(`SMTP: server refused ${info.rejected.length} of ${info.rejected.length + info.accepted.length} recipients (${refused})${firstResponse ? `: ${firstResponse}` : ""}`, connection),
      code: "EENVELOPE",
      // The accepted recipients will get the message: resending would duplicate it for them.
      accepted: info.accepted.length > 0 ? "unknown" : "no",
      providerMessageId,
    });
  }
  return { providerMessageId };
}

async function verify(connection: ProviderConnectionConfig, opts?: CallOptions): Promise<VerifyResult> {
  if (!connection.settings.smtpHost) return { status: "failed", message: "SMTP: no host configured" };
  // A one-off connection: verifying must not leave a pool open for credentials that may never be saved.
  const transporter = nodemailer.createTransport(smtpTransportOptions(connection, resolveTimeoutMs(opts)));
  try {
    await transporter.verify();
    const what = connection.credentials.apiKey ? "SMTP connection and authentication succeeded" : "SMTP connection succeeded (no authentication configured)";
    return { status: "verified", message: what };
  } catch (error) {
    return { status: "failed", message: classifySmtpError(error, connection, "verify").reason };
  } finally {
    transporter.close();
  }
}

export const smtpAdapter: ProviderAdapter = { name: "smtp", send, verify };
