import type { ProviderEmulator, ProviderState } from "../types";
import { headerString, isValidAddress, randomHex } from "./shared";

const SEND_PATH = /^\/v3\/([^/]+)\/messages$/;
const DOMAIN_PATH = /^\/v4\/domains\/([^/]+)$/;

/** Mailgun: Basic api:<key>, multipart sends, a plain-text "Forbidden" for a bad key. */
export const mailgunEmulator: ProviderEmulator = {
  authenticate(request, state) {
    const header = headerString(request.headers.authorization) ?? "";
    const decoded = header.startsWith("Basic ") ? Buffer.from(header.slice(6), "base64").toString("utf8") : "";
    if (decoded !== `api:${state.credentials.mailgun.apiKey}`) return forbidden();
    return null;
  },

  handle(request, state) {
    const domainLookup = DOMAIN_PATH.exec(request.path);
    if (request.method === "GET" && domainLookup) {
      const name = decodeURIComponent(domainLookup[1] ?? "");
      if (!knownDomain(name, state)) return { status: 404, body: { message: "Domain not found" } };
      return {
        status: 200,
        body: {
          domain: { name, state: "active", type: "custom", created_at: "Mon, 01 Jan 2024 00:00:00 GMT", spam_action: "disabled" },
          receiving_dns_records: [],
          sending_dns_records: [],
        },
      };
    }
    const send = SEND_PATH.exec(request.path);
    if (request.method === "POST" && send) {
      const domain = decodeURIComponent(send[1] ?? "");
      if (!knownDomain(domain, state)) return { status: 404, body: { message: "Domain not found" } };
      const fields = request.form?.fields ?? {};
      if (!fields.to?.length || !fields.to.every(isValidAddress)) return invalidTo();
      if (!isValidAddress(fields.from?.[0])) return { status: 400, body: { message: "'from' parameter is not a valid address. please check documentation" } };
      const stamp = new Date().toISOString().replace(/\D/g, "").slice(0, 14);
      return { status: 200, body: { id: `<${stamp}.${randomHex(8)}@${domain}>`, message: "Queued. Thank you." } };
    }
    return { status: 404, body: { message: "Not Found" } };
  },

  faultResponse(fault, retryAfterSeconds) {
    switch (fault) {
      case "5xx":
        return { status: 500, body: { message: "Internal Server Error" } };
      case "429":
        return { status: 429, headers: { "Retry-After": String(retryAfterSeconds) }, body: { message: "Too Many Requests" } };
      case "401":
        return forbidden();
      case "invalid_recipient":
        return invalidTo();
    }
  },
};

function knownDomain(domain: string, state: ProviderState): boolean {
  return domain === state.credentials.mailgun.domain;
}

function forbidden() {
  return { status: 401, headers: { "Content-Type": "text/plain; charset=utf-8" }, body: "Forbidden" };
}

function invalidTo() {
  return { status: 400, body: { message: "'to' parameter is not a valid address. please check documentation" } };
}
