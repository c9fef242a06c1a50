import { GetAccountCommand, SendEmailCommand } from "@aws-sdk/client-sesv2";
import { resolveTimeoutMs } from "../shared/call-options";
import { safeText } from "../shared/redact";
import { configurationError } from "../shared/unexpected-error";
import type { CallOptions, OutboundMessage, ProviderAdapter, ProviderConnectionConfig, SendResult, VerifyResult } from "../types";
import { classifySesError } from "./classify-error";
import { getSesClient } from "./client";
import { toSesSendEmailInput } from "./map-message";

function misconfiguration(connection: ProviderConnectionConfig): string | undefined {
  if (!connection.credentials.apiKey) return "access key id is empty";
  if (!connection.credentials.secret) return "secret access key is empty";
  return undefined;
}

async function send(message: OutboundMessage, connection: ProviderConnectionConfig, opts?: CallOptions): Promise<SendResult> {
  const problem = misconfiguration(connection);
  if (problem) throw configurationError("SES", problem);
  try {
    const client = getSesClient(connection, resolveTimeoutMs(opts));
    const output = await client.send(new SendEmailCommand(toSesSendEmailInput(message)));
    // This MessageId is what SES events carry as mail.messageId.
    return { providerMessageId: output.MessageId ?? "" };
  } catch (error) {
    throw classifySesError(error, connection);
  }
}

async function verify(connection: ProviderConnectionConfig, opts?: CallOptions): Promise<VerifyResult> {
  const problem = misconfiguration(connection);
  if (problem) return { status: "failed", message: `SES: ${problem}` };
  try {
    const account = await getSesClient(connection, resolveTimeoutMs(opts)).send(new GetAccountCommand({}));
    if (account.SendingEnabled === false) return { status: "failed", message: "Credentials are valid but sending is paused for this SES account" };
    if (account.ProductionAccessEnabled === false) {
      return { status: "verified", message: "API key is valid (SES sandbox: only verified recipients can receive mail)" };
    }
    return { status: "verified", message: "API key is valid" };
  } catch (error) {
    const classified = classifySesError(error, connection);
    // A send-only IAM policy cannot call GetAccount; the 403 still proves the key pair authenticates.
    if (classified.code === "AccessDeniedException") {
      return { status: "verified", message: "API key is valid (it may not call ses:GetAccount, so sending permission was not checked)" };
    }
    return { status: "failed", message: safeText(classified.reason, connection) };
  }
}

export const awsSesAdapter: ProviderAdapter = { name: "aws_ses", send, verify };
