import { resolveTimeoutMs } from "../shared/call-options";
import { endpointRefusal } from "../shared/outbound";
import { safeText } from "../shared/redact";
import { configurationError } from "../shared/unexpected-error";
import { newWireObservation, trackWire } from "../shared/wire-tracker";
import type { CallOptions, OutboundMessage, ProviderAdapter, ProviderConnectionConfig, SendResult, VerifyResult } from "../types";
import { classifyPostmarkError } from "./classify-error";
import { getPostmarkClient } from "./client";
import { toPostmarkMessage } from "./map-message";

async function send(message: OutboundMessage, connection: ProviderConnectionConfig, opts?: CallOptions): Promise<SendResult> {
  // The SDK constructor throws on an empty token; say what is wrong instead.
  if (!connection.credentials.apiKey) throw configurationError("Postmark", "server token is empty");
  const refused = endpointRefusal("Postmark", connection.settings.endpoint, connection);
  if (refused) throw refused;
  const wire = newWireObservation();
  try {
    const client = getPostmarkClient(connection, resolveTimeoutMs(opts));
    const response = await trackWire(wire, () => client.sendEmail(toPostmarkMessage(message)));
    return { providerMessageId: response.MessageID };
  } catch (error) {
    throw classifyPostmarkError(error, connection, wire);
  }
}

async function verify(connection: ProviderConnectionConfig, opts?: CallOptions): Promise<VerifyResult> {
  if (!connection.credentials.apiKey) return { status: "failed", message: "Postmark: server token is empty" };
  const refused = endpointRefusal("Postmark", connection.settings.endpoint, connection);
  if (refused) return { status: "failed", message: refused.reason };
  const wire = newWireObservation();
  try {
    const client = getPostmarkClient(connection, resolveTimeoutMs(opts));
    const server = await trackWire(wire, () => client.getServer());
    const sandbox = server.DeliveryType === "Sandbox" ? " (sandbox server: mail is not delivered)" : "";
    return { status: "verified", message: `API key is valid${sandbox}` };
  } catch (error) {
    return { status: "failed", message: safeText(classifyPostmarkError(error, connection, wire).reason, connection) };
  }
}

export const postmarkAdapter: ProviderAdapter = { name: "postmark", send, verify };
