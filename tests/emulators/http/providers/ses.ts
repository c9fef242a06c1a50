import type { EmulatorResponse, ProviderEmulator } from "../types";
import { asArray, asObject, isValidAddress, randomHex, uuid } from "./shared";
import { checkSigV4 } from "./sigv4";

/** SES v2 errors: the code in x-amzn-ErrorType (what the SDK reads first) and `{message}` in the body. */
export function sesError(status: number, code: string, message: string, headers: Record<string, string> = {}): EmulatorResponse {
  return {
    status,
    headers: { "x-amzn-ErrorType": `${code}:http://internal.amazon.com/coral/com.amazonaws.sesv2/`, "x-amzn-RequestId": uuid(), ...headers },
    body: { message },
  };
}

export const sesEmulator: ProviderEmulator = {
  authenticate(request, state) {
    const { accessKeyId, secretAccessKey } = state.credentials.aws_ses;
    const check = checkSigV4(
      { method: request.method, rawPath: `/ses${request.path}`, query: request.query, headers: request.headers, body: request.body },
      accessKeyId,
      secretAccessKey,
    );
    return check.ok ? null : sesError(403, check.code, check.message);
  },

  handle(request) {
    if (request.method === "GET" && request.path === "/v2/email/account") {
      return {
        status: 200,
        headers: { "x-amzn-RequestId": uuid() },
        body: {
          DedicatedIpAutoWarmupEnabled: false,
          EnforcementStatus: "HEALTHY",
          ProductionAccessEnabled: true,
          SendQuota: { Max24HourSend: 50000, MaxSendRate: 14, SentLast24Hours: 0 },
          SendingEnabled: true,
          SuppressionAttributes: { SuppressedReasons: ["BOUNCE", "COMPLAINT"] },
        },
      };
    }
    if (request.method === "POST" && request.path === "/v2/email/outbound-emails") {
      const body = asObject(request.json);
      const content = asObject(body.Content);
      if (!content.Raw) {
        const to = asArray(asObject(body.Destination).ToAddresses);
        const bad = to.find((address) => !isValidAddress(address));
        if (to.length === 0 || bad !== undefined) return sesError(400, "BadRequestException", `Invalid email address ${String(bad ?? "")}.`);
        if (!isValidAddress(body.FromEmailAddress)) return sesError(400, "BadRequestException", `Invalid email address ${String(body.FromEmailAddress)}.`);
      }
      return { status: 200, headers: { "x-amzn-RequestId": uuid() }, body: { MessageId: `0100${randomHex(8)}-${uuid()}-000000` } };
    }
    return sesError(404, "NotFoundException", "Not found");
  },

  faultResponse(fault, retryAfterSeconds) {
    switch (fault) {
      case "5xx":
        return sesError(500, "InternalFailure", "The request processing has failed because of an unknown error, exception or failure.");
      case "429":
        return sesError(429, "TooManyRequestsException", "Maximum sending rate exceeded.", { "Retry-After": String(retryAfterSeconds) });
      case "401":
        return sesError(403, "UnrecognizedClientException", "The security token included in the request is invalid.");
      case "invalid_recipient":
        return sesError(400, "MessageRejected", "Email address is not verified. The following identities failed the check in region US-EAST-1: unverified@example.com");
    }
  },
};
