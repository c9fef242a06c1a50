import { isOutboundAddressError } from "../../lib/outbound-guard";
import { isNetworkCode, OUTBOUND_REFUSED, outboundRefusedError } from "../shared/network-errors";
import { numberField, stringField } from "../shared/records";
import { safeText } from "../shared/redact";
import { unexpectedProviderError } from "../shared/unexpected-error";
import { ProviderError, type ProviderAcceptance, type ProviderConnectionConfig } from "../types";

const LABEL = "SMTP";

/** Nodemailer codes for trouble with the connection itself, not with this message. */
const TRANSIENT_CODES = new Set(["ETIMEDOUT", "ESOCKET", "ECONNECTION", "EDNS", "EMAXLIMIT", "EPROTOCOL"]);
/** Local validation and configuration failures (bad address, no auth, TLS mismatch): retrying cannot help. */
const PERMANENT_CODES = new Set(["EAUTH", "ETLS", "EREQUIRETLS", "NoAuth", "EENVELOPE", "EMESSAGE", "ESTREAM"]);
/** Messages that prove the failure happened before the session started. */
const BEFORE_SESSION = /ECONNREFUSED|ENOTFOUND|EAI_AGAIN|EHOSTUNREACH|ENETUNREACH|Greeting never received|Connection timeout/i;

export type SmtpStage = "verify" | "send";

/**
 * The server's reply code decides first: 4xx transient, 5xx permanent (535 auth, 550 user unknown, 554
 * rejected). Without one, nodemailer's `code` decides. A connection lost mid-send may have been lost
 * after the final "." was written, so it counts as maybe accepted.
 */
export function classifySmtpError(error: unknown, connection: ProviderConnectionConfig, stage: SmtpStage): ProviderError {
  const responseCode = numberField(error, "responseCode");
  const code = stringField(error, "code");
  const command = stringField(error, "command");
  const serverText = stringField(error, "response") ?? stringField(error, "message") ?? "";
  if (code === OUTBOUND_REFUSED) return outboundRefusedError(LABEL, stringField(error, "message"));
  // requireTLS (the default with credentials): a server without STARTTLS never hears the credentials.
  if (command === "STARTTLS" && code === "ETLS" && responseCode !== undefined) {
    return new ProviderError({
      kind: "permanent",
      reason: `${LABEL}: the server does not offer STARTTLS (it answered ${safeText(serverText, connection)}), so the credentials were not sent. Use implicit TLS (secure: true), or require_tls: false to allow them in clear text on a trusted network`,
      status: responseCode,
      code: "ETLS",
      accepted: "no",
    });
  }
  if (responseCode !== undefined && responseCode >= 400) {
    return new ProviderError({
      kind: responseCode < 500 ? "transient" : "permanent",
      reason: `${LABEL} ${responseCode}${command ? ` at ${command}` : ""}: ${safeText(serverText, connection)}`,
      status: responseCode,
      accepted: "no",
      ...(code ? { code } : {}),
    });
  }
  const message = stringField(error, "message") ?? "";
  // Raw socket codes come from our own connect (see guarded-socket.ts), e.g. ECONNREFUSED or ENOTFOUND.
  if (code && (TRANSIENT_CODES.has(code) || isNetworkCode(code))) {
    return new ProviderError({
      kind: "transient",
      reason: `${LABEL}: ${safeText(message, connection)} (${code})`,
      code,
      accepted: acceptance(stage, error, message),
    });
  }
  if (code && PERMANENT_CODES.has(code)) {
    return new ProviderError({ kind: "permanent", reason: `${LABEL}: ${safeText(message, connection)} (${code})`, code, accepted: "no" });
  }
  return unexpectedProviderError(LABEL, error, connection);
}

/**
 * Everything but a verdict on this one message (a refused recipient or body) says something about the
 * connection, so the pool is re-verified before the next send. 421 means the server is closing the channel.
 */
export function isConnectionLevelFailure(error: ProviderError): boolean {
  const messageLevel = error.code === "EENVELOPE" || error.code === "EMESSAGE";
  return !messageLevel || error.status === 421;
}

function acceptance(stage: SmtpStage, error: unknown, message: string): ProviderAcceptance {
  if (stage === "verify") return "no";
  // The guard resolves before any socket exists.
  if (isOutboundAddressError(error)) return "no";
  if (stringField(error, "syscall") === "connect" || BEFORE_SESSION.test(message)) return "no";
  return "unknown";
}
