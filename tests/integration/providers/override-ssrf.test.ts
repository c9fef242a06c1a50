/**
 * An SMTP config override's host under the production policy (no loopback, no private), at
 * accept time (resolveOutboundHost, as checkProviderOverrideTargets uses) and at connect time (the
 * override transport's getSocket), including a name that answers public first and loopback later.
 */
import { afterEach, describe, expect, it } from "vitest";
import { outboundGuard, resolveOutboundHost, setOutboundResolver } from "@/server/lib/outbound-guard";
import { connectionWithOverride } from "@/server/providers/smtp/override-transport";
import { smtpTransportOptions } from "@/server/providers/smtp/transport-options";
import type { ProviderConnectionConfig } from "@/server/providers/types";

let restore: (() => void) | undefined;
afterEach(() => restore?.());

const strict = () => outboundGuard({ allowLoopback: false, allowPrivate: false });

describe("override host forms under the production policy", () => {
  const forms = ["localhost", "localhost.", "LOCALHOST.", "a.localhost", "127.0.0.1.", "127.1", "2130706433", "0x7f.1", "0177.0.0.1", "0", "0.0.0.0", "[::1]", "::1", "[::ffff:127.0.0.1]", "::ffff:7f00:1", "[::ffff:0:7f00:1]", "64:ff9b::7f00:1", "2002:7f00:1::", "169.254.169.254", "[fd00::1]", "[fe80::1]", "::", "10.0.0.1", "100.64.0.1"];
  for (const host of forms) {
    it(`refuses ${host}`, async () => {
      restore = setOutboundResolver(async () => [{ address: "127.0.0.1", family: 4 }]);
      await expect(resolveOutboundHost(host, strict())).rejects.toMatchObject({ name: "OutboundAddressError" });
    });
  }

  it("DNS rebinding: accept-time check passes on a public answer, the socket is still refused on the loopback one", async () => {
    let calls = 0;
    restore = setOutboundResolver(async () => (calls++ === 0 ? [{ address: "93.184.216.34", family: 4 }] : [{ address: "127.0.0.1", family: 4 }]));
    await expect(resolveOutboundHost("rebind.example", strict())).resolves.toHaveLength(1);
    const stored: ProviderConnectionConfig = { id: "c", provider: "smtp", credentials: { apiKey: "stored-user", secret: "stored-pass" }, settings: { smtpHost: "smtp.example.com", smtpPort: 587 }, outbound: strict() };
    const conn = connectionWithOverride(stored, { host: "rebind.example", port: 25 });
    // Stored credentials never go to the new host.
    expect(conn.credentials).toEqual({ apiKey: "" });
    const opts = smtpTransportOptions(conn, 5_000);
    expect(opts.auth).toBeUndefined();
    const err = await new Promise<Error | null>((resolve) => opts.getSocket!(opts as never, (e: Error | null) => resolve(e)));
    expect(err).toMatchObject({ code: "EOUTBOUND" });
  });

  it("same host, only timeouts overridden: stored credentials stay (same destination); TLS downgrade drops them", () => {
    const stored: ProviderConnectionConfig = { id: "c", provider: "smtp", credentials: { apiKey: "u", secret: "p" }, settings: { smtpHost: "smtp.example.com", smtpPort: 587 }, outbound: strict() };
    expect(connectionWithOverride(stored, { connectionTimeout: 2000 }).credentials).toEqual({ apiKey: "u", secret: "p" });
    expect(connectionWithOverride(stored, { requireTLS: false }).credentials).toEqual({ apiKey: "" });
    expect(connectionWithOverride(stored, { tls: { rejectUnauthorized: false } }).credentials).toEqual({ apiKey: "" });
    expect(connectionWithOverride(stored, { tls: { servername: "evil.example" } }).credentials).toEqual({ apiKey: "" });
    expect(connectionWithOverride(stored, { host: "SMTP.example.com" }).credentials).toEqual({ apiKey: "" });
  });
});
