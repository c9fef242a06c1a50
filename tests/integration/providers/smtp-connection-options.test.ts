import { createServer, type AddressInfo, type Server } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/server/db";
import { closeProviderClients, getProviderAdapter } from "@/server/providers";
import { toProviderConfig } from "@/server/services/provider-connections/connection-secrets";
import { startEmulators, type Emulators } from "../../emulators";
import { api, signUp } from "../../helpers/api";
import { connectionBody } from "../../helpers/connections";
import { providerErrorFrom, sampleMessage } from "./fixtures";

let emulators: Emulators;

beforeAll(async () => {
  emulators = await startEmulators();
});
afterAll(async () => {
  closeProviderClients();
  await emulators.stop();
});

const OPTIONS = { tls_servername: "localhost", tls_min_version: "TLSv1.3", connection_timeout_ms: 5_000, greeting_timeout_ms: 2_000, socket_timeout_ms: 8_000 };

describe("the stored SMTP connection's transport options", () => {
  it("are accepted, used to verify and send, and shown back without secrets", async () => {
    const { apiKey } = await signUp();
    const created = await api.post("/api/v1/provider_connections", connectionBody(emulators, "smtp", OPTIONS), { token: apiKey });
    expect(created.status, created.text).toBe(201);
    expect(created.body).toMatchObject({ ...OPTIONS, verification: { status: "verified" } });
    expect(created.text).not.toContain(emulators.credentials.smtp.password);

    const row = await (await getDb()).providerConnection.findUniqueOrThrow({ where: { id: created.body.id } });
    expect(toProviderConfig(row).settings).toMatchObject({ tlsServername: "localhost", tlsMinVersion: "TLSv1.3", connectionTimeoutMs: 5_000, greetingTimeoutMs: 2_000, socketTimeoutMs: 8_000 });
    await getProviderAdapter("smtp").send(sampleMessage(), toProviderConfig(row));
    expect(emulators.smtp.received.at(-1)?.secure).toBe(true);

    // null goes back to the default; a TLS setting is a new destination, so the credentials come again.
    const cleared = await api.patch(`/api/v1/provider_connections/${created.body.id}`, { tls_min_version: null, socket_timeout_ms: null }, { token: apiKey });
    expect(cleared.status).toBe(422);
    expect(cleared.body.errors).toEqual(expect.arrayContaining([expect.stringMatching(/^api_key must be sent again when tls_min_version changes/)]));
    const resent = await api.patch(
      `/api/v1/provider_connections/${created.body.id}`,
      { tls_min_version: null, socket_timeout_ms: null, api_key: emulators.credentials.smtp.user, secret: emulators.credentials.smtp.password },
      { token: apiKey },
    );
    expect(resent.status, resent.text).toBe(200);
    expect(resent.body).toMatchObject({ tls_min_version: "TLSv1.2", socket_timeout_ms: null, greeting_timeout_ms: 2_000 });
  });

  it("are validated, and refused for other providers", async () => {
    const { apiKey } = await signUp();
    const bad = await api.post(
      "/api/v1/provider_connections",
      connectionBody(emulators, "smtp", { tls_servername: "a b", tls_min_version: "TLSv1", connection_timeout_ms: 10, socket_timeout_ms: 3_600_000 }),
      { token: apiKey },
    );
    expect(bad.status).toBe(422);
    expect(bad.body.errors).toEqual([
      "tls_servername must be a host name or IP address",
      "tls_min_version must be one of: TLSv1.2, TLSv1.3",
      "connection_timeout_ms must be at least 1000 (ms)",
      "socket_timeout_ms must be at most 60000 (ms)",
    ]);
    const misplaced = await api.post("/api/v1/provider_connections", connectionBody(emulators, "sendgrid", { greeting_timeout_ms: 2_000 }), { token: apiKey });
    expect(misplaced.status).toBe(422);
    expect(misplaced.body.errors).toEqual(["greeting_timeout_ms does not apply to sendgrid"]);
  });

  it("a stored greeting timeout shortens the wait for a server that never greets (a transient failure)", async () => {
    const silent: Server = createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    try {
      const connection = emulators.connection("smtp", { id: "silent", settings: { smtpPort: (silent.address() as AddressInfo).port, greetingTimeoutMs: 1_000 } });
      const started = performance.now();
      const error = await providerErrorFrom(getProviderAdapter("smtp").send(sampleMessage(), connection, { timeoutMs: 6_000 }));
      expect(error).toMatchObject({ kind: "transient", accepted: "no" });
      expect(performance.now() - started).toBeLessThan(3_000);
    } finally {
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    }
  });
});
