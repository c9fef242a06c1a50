import type { EmulatorResponse, ProviderEmulator } from "../types";
import { asArray, asObject, bearerToken, headerString, isValidAddress, uuid } from "./shared";

const error = (statusCode: number, name: string, message: string): EmulatorResponse => ({ status: statusCode, body: { statusCode, name, message } });

const INVALID_TO = error(422, "validation_error", "Invalid `to` field. The email address needs to follow the `email@example.com` or `Name <email@example.com>` format.");
const INVALID_KEY = error(403, "invalid_api_key", "API key is invalid");

/**
 * Resend: Bearer auth, `{statusCode, name, message}` error bodies (the SDK reads statusCode from the body),
 * send-only keys refused on everything but POST /emails, and Idempotency-Key replays.
 */
export function createResendEmulator(): ProviderEmulator {
  const idempotent = new Map<string, EmulatorResponse>();
  return {
    authenticate(request, state) {
      const token = bearerToken(request.headers.authorization);
      if (!token) return error(401, "missing_api_key", "Missing API key in the authorization header. Include the following header Authorization: Bearer YOUR_API_KEY in the request.");
      const { apiKey, sendOnlyKey } = state.credentials.resend;
      if (token === sendOnlyKey && !(request.method === "POST" && request.path === "/emails")) {
        return error(401, "restricted_api_key", "This API key is restricted to only send emails");
      }
      if (token !== apiKey && token !== sendOnlyKey) return INVALID_KEY;
      return null;
    },

    handle(request) {
      if (request.method === "GET" && request.path === "/domains") {
        return {
          status: 200,
          body: {
            object: "list",
            has_more: false,
            data: [{ id: "d91cd9bd-1176-453e-8fc1-35364d380206", name: "courierx.test", status: "verified", created_at: "2024-01-01T00:00:00.000Z", region: "us-east-1" }],
          },
        };
      }
      if (request.method === "POST" && request.path === "/emails") {
        const key = headerString(request.headers["idempotency-key"]);
        const replay = key ? idempotent.get(key) : undefined;
        if (replay) return replay;
        const body = asObject(request.json);
        const to = Array.isArray(body.to) ? asArray(body.to) : [body.to];
        if (to.length === 0 || !to.every(isValidAddress)) return INVALID_TO;
        if (!isValidAddress(body.from)) return error(422, "validation_error", "Invalid `from` field. The email address needs to follow the `email@example.com` or `Name <email@example.com>` format.");
        const response: EmulatorResponse = { status: 200, body: { id: uuid() } };
        if (key) idempotent.set(key, response);
        return response;
      }
      return error(404, "not_found", "The requested endpoint does not exist.");
    },

    faultResponse(fault, retryAfterSeconds) {
      switch (fault) {
        case "5xx":
          return error(500, "application_error", "An unexpected error occurred.");
        case "429": {
          const limited = error(429, "rate_limit_exceeded", "Too many requests. You can only make 2 requests per second. See rate limit response headers for more information. Or contact support to increase rate limit.");
          return {
            ...limited,
            headers: { "ratelimit-limit": "2", "ratelimit-remaining": "0", "ratelimit-reset": String(retryAfterSeconds), "retry-after": String(retryAfterSeconds) },
          };
        }
        case "401":
          return INVALID_KEY;
        case "invalid_recipient":
          return INVALID_TO;
      }
    },

    reset() {
      idempotent.clear();
    },
  };
}
