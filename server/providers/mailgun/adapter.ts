import { resolveTimeoutMs } from "../shared/call-options";
import { safeText } from "../shared/redact";
import { configurationError } from "../shared/unexpected-error";
import { newWireObservation, trackWire } from "../shared/wire-tracker";
import type { CallOptions, OutboundMessage, ProviderAdapter, ProviderConnectionConfig, SendResult, VerifyResult } from "../types";
import { classifyMailgunError } from "./classify-error";
import { getMailgunClient } from "./client";
import { toMailgunMessage } from "./map-message";

function misconfiguration(connection: ProviderConnectionConfig): string | undefined {
  if (!connection.credentials.apiKey) return "API key is empty";
  if (!connection.settings.domain) return "no sending domain configured";
  return undefined;
}

async function send(message: OutboundMessage, connection: ProviderConnectionConfig, opts?: CallOptions): Promise<SendResult> {
  const domain = connection.settings.domain;
  const problem = misconfiguration(connection);
  if (problem || !domain) throw configurationError("Mailgun", problem ?? "no sending domain configured");
  const wire = newWireObservation();
  try {
    const client = getMailgunClient(connection, resolveTimeoutMs(opts));
    const result = await trackWire(wire, () => client.messages.create(domain, toMailgunMessage(message)));
    // The API answers "<id@domain>"; events carry it without the angle brackets, so store it that way.
    return { providerMessageId: (result.id ?? "").replace(/^<|>$/g, "") };
  } catch (error) {
    throw classifyMailgunError(error, connection, wire);
  }
}

async function verify(connection: ProviderConnectionConfig, opts?: CallOptions): Promise<VerifyResult> {
  const domain = connection.settings.domain;
  const problem = misconfiguration(connection);
  if (problem || !domain) return { status: "failed", message: `Mailgun: ${problem ?? "no sending domain configured"}` };
  const wire = newWireObservation();
  try {
    const client = getMailgunClient(connection, resolveTimeoutMs(opts));
    await trackWire(wire, () => client.domains.get(domain));
    return { status: "verified", message: "API key is valid" };
  } catch (error) {
    const classified = classifyMailgunError(error, connection, wire);
    const hint = classified.status === 404 ? ` (domain ${domain} not found in this account or region)` : "";
    return { status: "failed", message: safeText(classified.reason + hint, connection) };
  }
}

export const mailgunAdapter: ProviderAdapter = { name: "mailgun", send, verify };
