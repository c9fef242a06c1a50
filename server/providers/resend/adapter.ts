import type { Resend } from "resend";
import { resolveTimeoutMs } from "../shared/call-options";
import { endpointRefusal, guardedFetchInit } from "../shared/outbound";
import { safeText } from "../shared/redact";
import { configurationError, unexpectedProviderError } from "../shared/unexpected-error";
import { newWireObservation, trackWire } from "../shared/wire-tracker";
import type { CallOptions, OutboundMessage, ProviderAdapter, ProviderConnectionConfig, SendResult, VerifyResult } from "../types";
import { classifyResendError } from "./classify-error";
import { getResendClient, resendBaseUrl } from "./client";
import { toResendEmail } from "./map-message";

async function send(message: OutboundMessage, connection: ProviderConnectionConfig, opts?: CallOptions): Promise<SendResult> {
  if (!connection.credentials.apiKey) throw configurationError("Resend", "API key is empty");
  const refused = endpointRefusal("Resend", resendBaseUrl(connection), connection);
  if (refused) throw refused;
  const wire = newWireObservation();
  const signal = AbortSignal.timeout(resolveTimeoutMs(opts));
  let response: Awaited<ReturnType<Resend["emails"]["send"]>>;
  try {
    const { resend, dispatcher } = getResendClient(connection);
    response = await trackWire(wire, () =>
      resend.emails.send(toResendEmail(message), {
        signal,
        // Resend replays the first answer for a repeated key (24 h), so retrying after an ambiguous
        // failure cannot send the same email twice.
        idempotencyKey: `courierx-${message.emailId}`,
        // The SDK spreads these into its fetch call: sockets through the outbound guard, no redirects.
        ...guardedFetchInit(dispatcher),
      }),
    );
  } catch (thrown) {
    throw unexpectedProviderError("Resend", thrown, connection);
  }
  const { data, error, headers } = response;
  if (error || !data) {
    throw classifyResendError({ error: error ?? { name: "application_error", message: "empty response" }, headers }, connection, wire, signal.aborted);
  }
  return { providerMessageId: data.id };
}

async function verify(connection: ProviderConnectionConfig, opts?: CallOptions): Promise<VerifyResult> {
  if (!connection.credentials.apiKey) return { status: "failed", message: "Resend: API key is empty" };
  const refused = endpointRefusal("Resend", resendBaseUrl(connection), connection);
  if (refused) return { status: "failed", message: refused.reason };
  const wire = newWireObservation();
  const signal = AbortSignal.timeout(resolveTimeoutMs(opts));
  // Building the client can only fail on a broken runtime (no undici Agent): verify reports, never throws.
  let client: ReturnType<typeof getResendClient>;
  try {
    client = getResendClient(connection);
  } catch (thrown) {
    return { status: "failed", message: unexpectedProviderError("Resend", thrown, connection).reason };
  }
  const { resend, dispatcher } = client;
  const { error, headers } = await trackWire(wire, () => resend.domains.list(undefined, { signal, ...guardedFetchInit(dispatcher) }));
  if (!error) return { status: "verified", message: "API key is valid" };
  // Sending-only keys may not list domains, but this answer proves the key exists and can send.
  if (error.name === "restricted_api_key") return { status: "verified", message: "API key is valid (restricted to sending)" };
  return { status: "failed", message: safeText(classifyResendError({ error, headers }, connection, wire, signal.aborted).reason, connection) };
}

export const resendAdapter: ProviderAdapter = { name: "resend", send, verify };
