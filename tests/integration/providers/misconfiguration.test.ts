import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeProviderClients, getProviderAdapter } from "@/server/providers";
import type { ProviderName } from "@/server/providers/types";
import { HTTP_PROVIDERS, startEmulators, type ConnectionOverrides, type Emulators } from "../../emulators";
import { providerErrorFrom, sampleMessage } from "./fixtures";

let emulators: Emulators;

beforeAll(async () => {
  emulators = await startEmulators();
});
afterAll(async () => {
  closeProviderClients();
  await emulators.stop();
});

const BROKEN: [ProviderName, ConnectionOverrides, RegExp][] = [
  ["sendgrid", { credentials: { apiKey: "" } }, /SendGrid: API key is empty/],
  ["mailgun", { credentials: { apiKey: "" } }, /Mailgun: API key is empty/],
  ["mailgun", { settings: { domain: "" } }, /Mailgun: no sending domain configured/],
  ["aws_ses", { credentials: { secret: "" } }, /SES: secret access key is empty/],
  ["postmark", { credentials: { apiKey: "" } }, /Postmark: server token is empty/],
  // Left empty, the Resend SDK would silently fall back to the server's own RESEND_API_KEY.
  ["resend", { credentials: { apiKey: "" } }, /Resend: API key is empty/],
  ["smtp", { settings: { smtpHost: "" } }, /SMTP: no host configured/],
];

describe("connections that cannot work as configured", () => {
  it.each(BROKEN)("%s %o fails permanently without calling the provider", async (provider, overrides, reason) => {
    const connection = emulators.connection(provider, { id: `broken-${provider}`, ...overrides });
    const error = await providerErrorFrom(getProviderAdapter(provider).send(sampleMessage(), connection));
    expect(error).toMatchObject({ kind: "permanent", accepted: "no", code: "configuration" });
    expect(error.reason).toMatch(reason);

    const verified = await getProviderAdapter(provider).verify(connection);
    expect(verified.status).toBe("failed");
    expect(verified.message).toMatch(reason);

    for (const httpProvider of HTTP_PROVIDERS) expect(emulators.http.stats(httpProvider).received).toBe(0);
    expect(emulators.smtp.connectionCount).toBe(0);
  });
});
