import { describe, expect, it } from "vitest";
import { safeText } from "@/server/providers/shared/redact";
import { connectionWithOverride } from "@/server/providers/smtp/override-transport";
import { smtpTransportOptions } from "@/server/providers/smtp/transport-options";
import type { ProviderConnectionConfig } from "@/server/providers/types";

const stored: ProviderConnectionConfig = {
  id: "c1",
  provider: "smtp",
  credentials: { apiKey: "stored-user", secret: "stored-password" },
  settings: { smtpHost: "smtp.stored.example", smtpPort: 587, secure: false, requireTls: true, tlsRejectUnauthorized: true },
};

describe("connectionWithOverride", () => {
  it("keeps the stored credentials while the destination stays the same (timeouts, an unchanged TLS mode)", () => {
    const merged = connectionWithOverride(stored, { secure: false, socketTimeout: 5_000, greetingTimeout: 2_000 });
    expect(merged.credentials).toEqual(stored.credentials);
    expect(merged.settings).toMatchObject({ requireTls: true, socketTimeoutMs: 5_000, greetingTimeoutMs: 2_000 });
    const options = smtpTransportOptions(merged, 10_000);
    expect(options).toMatchObject({ host: "smtp.stored.example", requireTLS: true, socketTimeout: 5_000, greetingTimeout: 2_000, connectionTimeout: 10_000, auth: { user: "stored-user", pass: "stored-password" } });
    // Never longer than the call's budget.
    expect(smtpTransportOptions(merged, 1_500)).toMatchObject({ socketTimeout: 1_500, greetingTimeout: 1_500 });
  });

  it.each([
    ["another host", { host: "smtp.elsewhere.example" }],
    ["another port", { port: 2525 }],
    ["implicit TLS instead of STARTTLS", { secure: true, port: 465 }],
    ["STARTTLS no longer required", { requireTLS: false }],
    ["certificates not verified", { tls: { rejectUnauthorized: false } }],
    ["another TLS name", { tls: { servername: "evil.example" } }],
  ])("never sends the stored credentials to a new destination (%s)", (_what, override) => {
    const merged = connectionWithOverride(stored, override);
    expect(merged.credentials).toEqual({ apiKey: "" });
    expect(smtpTransportOptions(merged, 10_000).auth).toBeUndefined();
  });

  it("uses the override's own auth anywhere, and redacts it and the stored secrets from reasons", () => {
    const merged = connectionWithOverride(stored, { host: "smtp.office365.com", port: 587, requireTLS: true, auth: { user: "me@corp.example", pass: "app-specific-pw" }, tls: { minVersion: "TLSv1.3" } });
    const options = smtpTransportOptions(merged, 10_000);
    expect(options).toMatchObject({ host: "smtp.office365.com", port: 587, secure: false, requireTLS: true, auth: { user: "me@corp.example", pass: "app-specific-pw" }, tls: { minVersion: "TLSv1.3", rejectUnauthorized: true } });
    expect(safeText("535 app-specific-pw stored-password stored-user refused", merged)).toBe("535 [redacted] [redacted] [redacted] refused");
    // The one-off transport goes through the same guarded socket as the pool.
    expect(typeof options.getSocket).toBe("function");
  });

  it("a changed TLS mode drops the stored STARTTLS choice rather than combining both", () => {
    const merged = connectionWithOverride(stored, { secure: true, port: 465, auth: { user: "u", pass: "pppp" } });
    expect(smtpTransportOptions(merged, 10_000)).toMatchObject({ secure: true, requireTLS: false });
  });
});
