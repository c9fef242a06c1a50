import type { ProviderEmulator } from "../types";
import { asArray, asObject, bearerToken, isValidAddress, randomToken } from "./shared";

const HELP = "http://sendgrid.com/docs/API_Reference/Web_API_v3/Mail/errors.html#message.personalizations.to";

const errors = (message: string, field: string | null = null, help: string | null = null) => ({ errors: [{ message, field, help }] });

/** SendGrid v3: Bearer auth, 202 + X-Message-Id with an empty body, `{errors:[…]}` bodies. */
export const sendgridEmulator: ProviderEmulator = {
  authenticate(request, state) {
    const token = bearerToken(request.headers.authorization);
    if (!token) return { status: 401, body: errors("authorization required") };
    if (token !== state.credentials.sendgrid.apiKey) {
      return { status: 401, body: errors("The provided authorization grant is invalid, expired, or revoked") };
    }
    return null;
  },

  handle(request) {
    if (request.method === "GET" && request.path === "/v3/scopes") {
      return { status: 200, body: { scopes: ["mail.send", "alerts.read", "stats.read"] } };
    }
    if (request.method === "POST" && request.path === "/v3/mail/send") {
      const body = asObject(request.json);
      const to = asObject(asArray(asObject(asArray(body.personalizations)[0]).to)[0]);
      if (!isValidAddress(to.email)) {
        return { status: 400, body: errors("Does not contain a valid address.", "personalizations.0.to.0.email", HELP) };
      }
      if (!isValidAddress(asObject(body.from).email)) return { status: 400, body: errors("Does not contain a valid address.", "from.email") };
      return { status: 202, headers: { "X-Message-Id": randomToken(16) } };
    }
    return { status: 404, body: errors("not found") };
  },

  faultResponse(fault, retryAfterSeconds) {
    switch (fault) {
      case "5xx":
        return { status: 500, body: errors("internal server error") };
      case "429":
        return {
          status: 429,
          headers: {
            "X-RateLimit-Limit": "600",
            "X-RateLimit-Remaining": "0",
            "X-RateLimit-Reset": String(Math.ceil(Date.now() / 1000) + retryAfterSeconds),
          },
          body: errors("too many requests"),
        };
      case "401":
        return { status: 401, body: errors("The provided authorization grant is invalid, expired, or revoked") };
      case "invalid_recipient":
        return { status: 400, body: errors("Does not contain a valid address.", "personalizations.0.to.0.email", HELP) };
    }
  },
};
