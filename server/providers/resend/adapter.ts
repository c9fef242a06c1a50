import type { Resend } from "resend";
import { resolveTimeoutMs } from "../shared/call-options";
import { safeText } from "../shared/redact";
import { configurationError, unexpectedProviderError } from "../shared/unexpected-error";
import { newWireObservation, trackWire } from "../shared/wire-tracker";
import type { CallOptions, OutboundMessage, ProviderAdapter, ProviderConnectionConfig, SendResult, VerifyResult } from "../types";
import { classifyResendError } from "./classify-error";
import { getResendClient } from "./client";
import { toResendEmail } from "./map-message";

async function send(message: OutboundMessage, connection: ProviderConnectionConfig, opts?: CallOptions): Promise<SendResult> {
  if (!connection.credentials.apiKey) throw configurationError("Resend", "API key is empty");
  const wire = newWireObservation();
  const signal = AbortSignal.timeout(resolveTimeoutMs(opts));
  let response: Awaited<ReturnType<Resend["emails"]["send"]>>;
  try {
    response = await trackWire(wire, () =>
      getResendClient(connection).emails.send(toResendEmail(message), {
        signal,
        // Resend replays the first answer for a repeated key (24 h), so retrying after an ambiguous
        // failure cannot send the same email twice.
        idempotencyKey: `courierx-${message.emailId}`,
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
  const wire = newWireObservation();
  const signal = AbortSignal.timeout(resolveTimeoutMs(opts));
  const { error, headers } = await trackWire(wire, () => getResendClient(connection).domains.list(undefined, { signal }));
  if (!error) return { status: "verified", message: "API key is valid" };
  // Sending-only keys may not list domains, but this answer proves the key exists and can send.
  if (error.name === "restricted_api_key") return { status: "verified", message: "API key is valid (restricted to sending)" };
  return { status: "failed", message: safeText(classifyResendError({ error, headers }, connection, wire, signal.aborted).reason, connection) };
}

export const resendAdapter: ProviderAdapter = { name: "resend", send, verify };
