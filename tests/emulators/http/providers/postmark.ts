import type { ProviderEmulator } from "../types";
import { asObject, headerString, isValidAddress, uuid } from "./shared";

const BAD_TOKEN = {
  ErrorCode: 10,
  Message: "The Server Token you provided in the X-Postmark-Server-Token request header was invalid. Please verify that you are using a valid token.",
};

/** Postmark: X-Postmark-Server-Token, `{ErrorCode, Message}` bodies with the documented statuses. */
export const postmarkEmulator: ProviderEmulator = {
  authenticate(request, state) {
    const token = headerString(request.headers["x-postmark-server-token"]);
    if (!token) return { status: 401, body: { ErrorCode: 10, Message: "Request does not contain a valid Server token." } };
    if (token !== state.credentials.postmark.serverToken) return { status: 401, body: BAD_TOKEN };
    return null;
  },

  handle(request) {
    if (request.method === "GET" && request.path === "/server") {
      return {
        status: 200,
        body: {
          ID: 1,
          Name: "CourierX emulator",
          ApiTokens: ["<redacted>"],
          Color: "blue",
          SmtpApiActivated: true,
          RawEmailEnabled: false,
          DeliveryType: "Live",
          ServerLink: "https://account.postmarkapp.com/servers/1/streams",
          InboundAddress: "",
          InboundHookUrl: "",
          BounceHookUrl: "",
          OpenHookUrl: "",
          DeliveryHookUrl: "",
          PostFirstOpenOnly: false,
          InboundDomain: "",
          InboundHash: "",
          InboundSpamThreshold: 0,
          TrackOpens: false,
          TrackLinks: "None",
          IncludeBounceContentInHook: false,
          ClickHookUrl: "",
          EnableSmtpApiErrorHooks: false,
        },
      };
    }
    if (request.method === "POST" && request.path === "/email") {
      const body = asObject(request.json);
      if (!isValidAddress(body.To)) {
        return { status: 422, body: { ErrorCode: 300, Message: `Error parsing 'To': Illegal email address '${String(body.To)}'. It must contain the '@' symbol.` } };
      }
      if (!isValidAddress(body.From)) return { status: 422, body: { ErrorCode: 300, Message: "Invalid 'From' address." } };
      return {
        status: 200,
        body: { To: body.To, SubmittedAt: new Date().toISOString(), MessageID: uuid(), ErrorCode: 0, Message: "OK" },
      };
    }
    return { status: 404, body: { ErrorCode: 0, Message: "Not found" } };
  },

  faultResponse(fault, retryAfterSeconds) {
    switch (fault) {
      case "5xx":
        return { status: 500, body: { ErrorCode: 0, Message: "Internal server error" } };
      case "429":
        return { status: 429, headers: { "Retry-After": String(retryAfterSeconds) }, body: { ErrorCode: 429, Message: "Rate limit exceeded" } };
      case "401":
        return { status: 401, body: BAD_TOKEN };
      case "invalid_recipient":
        return {
          status: 422,
          body: {
            ErrorCode: 406,
            Message:
              "You tried to send to recipient(s) that have been marked as inactive. Found inactive addresses: inactive@example.com. Inactive recipients are ones that have generated a hard bounce, a spam complaint, or a manual suppression.",
          },
        };
    }
  },
};
