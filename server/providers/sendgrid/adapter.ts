import { resolveTimeoutMs } from "../shared/call-options";
import { safeText } from "../shared/redact";
import { asRecord } from "../shared/records";
import { configurationError } from "../shared/unexpected-error";
import type { CallOptions, OutboundMessage, ProviderAdapter, ProviderConnectionConfig, SendResult, VerifyResult } from "../types";
import { classifySendgridError } from "./classify-error";
import { getSendgridClients } from "./client";
import { toSendgridMail } from "./map-message";

function misconfiguration(connection: ProviderConnectionConfig): string | undefined {
  return connection.credentials.apiKey ? undefined : "API key is empty";
}

async function send(message: OutboundMessage, connection: ProviderConnectionConfig, opts?: CallOptions): Promise<SendResult> {
  const problem = misconfiguration(connection);
  if (problem) throw configurationError("SendGrid", problem);
  try {
    const { mail } = getSendgridClients(connection, resolveTimeoutMs(opts));
    const [response] = await mail.send(toSendgridMail(message));
    // 202 with an empty body: the id only exists as a response header.
    const id = asRecord(response.headers)?.["x-message-id"];
    return { providerMessageId: typeof id === "string" ? id : "" };
  } catch (error) {
    throw classifySendgridError(error, connection);
  }
}

async function verify(connection: ProviderConnectionConfig, opts?: CallOptions): Promise<VerifyResult> {
  const problem = misconfiguration(connection);
  if (problem) return { status: "failed", message: `SendGrid: ${problem}` };
  try {
    const { client } = getSendgridClients(connection, resolveTimeoutMs(opts));
    const [, body] = await client.request({ method: "GET", url: "/v3/scopes" });
    const scopes = asRecord(body)?.scopes;
    if (Array.isArray(scopes) && scopes.includes("mail.send")) return { status: "verified", message: "API key is valid" };
    return { status: "failed", message: "API key is valid but lacks the mail.send scope" };
  } catch (error) {
    const classified = classifySendgridError(error, connection);
    return { status: "failed", message: safeText(classified.reason, connection) };
  }
}

export const sendgridAdapter: ProviderAdapter = { name: "sendgrid", send, verify };
