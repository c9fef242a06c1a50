import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { closeProviderClients, getProviderAdapter, PROVIDER_NAMES } from "@/server/providers";
import type { ProviderConnectionConfig, ProviderName } from "@/server/providers/types";
import { startEmulators, type Emulators } from "../../emulators";

let emulators: Emulators;

beforeAll(async () => {
  emulators = await startEmulators();
});
beforeEach(async () => {
  await emulators.reset();
});
afterAll(async () => {
  closeProviderClients();
  await emulators.stop();
});

/** What each provider says about a wrong key, in the reason verify passes on. */
const BAD_CREDENTIAL_REASON: Record<ProviderName, RegExp> = {
  sendgrid: /SendGrid 401: The provided authorization grant is invalid/,
  mailgun: /Mailgun 401: Forbidden/,
  aws_ses: /SES 403: UnrecognizedClientException/,
  postmark: /Postmark 401: ErrorCode 10/,
  resend: /Resend 403: invalid_api_key/,
  smtp: /SMTP 535 at AUTH (PLAIN|LOGIN)/,
};

function withWrongKey(provider: ProviderName): ProviderConnectionConfig {
  const wrong = provider === "smtp" ? { secret: "wrong-password" } : { apiKey: provider === "sendgrid" ? "SG.wrong" : "wrong-key" };
  return emulators.connection(provider, { id: `verify-wrong-${provider}`, credentials: wrong });
}

describe.each(PROVIDER_NAMES)("%s verify", (provider) => {
  it("accepts the emulator's credentials", async () => {
    const result = await getProviderAdapter(provider).verify(emulators.connection(provider));
    const expected = provider === "smtp" ? "SMTP connection and authentication succeeded" : "API key is valid";
    expect(result).toEqual({ status: "verified", message: expected });
  });

  it("reports wrong credentials as failed with the provider's reason, without throwing", async () => {
    const connection = withWrongKey(provider);
    const result = await getProviderAdapter(provider).verify(connection);
    expect(result.status).toBe("failed");
    expect(result.message).toMatch(BAD_CREDENTIAL_REASON[provider]);
    expect(result.message).not.toContain(provider === "smtp" ? "wrong-password" : connection.credentials.apiKey);
  });
});

describe("verify edge cases", () => {
  it("sendgrid: the check goes to GET /v3/scopes", async () => {
    await getProviderAdapter("sendgrid").verify(emulators.connection("sendgrid"));
    expect(emulators.http.requests("sendgrid").map((request) => `${request.method} ${request.path}`)).toEqual(["GET /v3/scopes"]);
  });

  it("resend: a send-only key cannot list domains but is still verified", async () => {
    const connection = emulators.connection("resend", { id: "send-only", credentials: { apiKey: emulators.credentials.resend.sendOnlyKey } });
    const result = await getProviderAdapter("resend").verify(connection);
    expect(result).toEqual({ status: "verified", message: "API key is valid (restricted to sending)" });
    expect(emulators.http.requests("resend")[0]?.response?.body).toMatchObject({ name: "restricted_api_key" });
  });

  it("mailgun: an unknown sending domain fails with a hint", async () => {
    const connection = emulators.connection("mailgun", { id: "other-domain", settings: { domain: "unknown.example.com" } });
    const result = await getProviderAdapter("mailgun").verify(connection);
    expect(result.status).toBe("failed");
    expect(result.message).toMatch(/404.*Domain not found.*unknown\.example\.com/);
    expect(emulators.http.requests("mailgun")[0]?.path).toBe("/v4/domains/unknown.example.com");
  });

  it("aws_ses: a wrong secret fails the SigV4 check", async () => {
    const connection = emulators.connection("aws_ses", { id: "wrong-secret", credentials: { secret: "not-the-secret" } });
    const result = await getProviderAdapter("aws_ses").verify(connection);
    expect(result.status).toBe("failed");
    expect(result.message).toMatch(/SES 403: SignatureDoesNotMatch/);
    expect(result.message).not.toContain("not-the-secret");
  });

  it("an unreachable provider fails verification instead of throwing", async () => {
    await emulators.fail("postmark", "refuse");
    const result = await getProviderAdapter("postmark").verify(emulators.connection("postmark", { id: "down" }), { timeoutMs: 1_000 });
    expect(result).toEqual({ status: "failed", message: "Postmark: could not connect (ECONNREFUSED)" });
  });

  it("smtp: a server certificate that cannot be trusted fails unless the connection opts out", async () => {
    const strict = emulators.connection("smtp", { id: "strict-tls", settings: { tlsRejectUnauthorized: true } });
    const result = await getProviderAdapter("smtp").verify(strict, { timeoutMs: 2_000 });
    expect(result.status).toBe("failed");
    expect(result.message).toMatch(/self-signed certificate/i);
  });
});
