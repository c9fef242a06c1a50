import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/server/db";
import { env, getSecrets, setSecretsForTests } from "@/server/env";
import { envelopeKeyVersion, parseKeyRing } from "@/server/lib/crypto";
import { randomBytes } from "node:crypto";
import { setLogSink } from "@/server/lib/logger";
import { closeProviderClients, PROVIDER_NAMES, type ProviderName } from "@/server/providers";
import { startEmulators, type Emulators, type HttpProvider } from "../../emulators";
import { RecordingSmtpServer } from "../../emulators/recording-smtp-server";
import { api, type ApiResponse, signUp } from "../../helpers/api";
import { connectionBody, secretsOf } from "../../helpers/connections";

let emulators: Emulators;
const responses: ApiResponse[] = [];
const logLines: string[] = [];
let restoreLog: () => void;

/** Every response of this file is kept, so the last test can scan them all for secrets. */
const track = async <T extends ApiResponse>(p: Promise<T>): Promise<T> => {
  const res = await p;
  responses.push(res);
  return res;
};

beforeAll(async () => {
  // Distinctive values, so that finding one in a response can only mean a leak.
  emulators = await startEmulators({ credentials: { smtp: { user: "cx-smtp-user-7f3a9c" } } });
  restoreLog = setLogSink((line) => logLines.push(line));
});

afterAll(async () => {
  restoreLog();
  closeProviderClients();
  await emulators.stop();
});

describe("provider connections", () => {
  it.each(PROVIDER_NAMES)("connects %s, verifies it against the provider and masks the credentials", async (provider) => {
    const { apiKey } = await signUp();
    const body = connectionBody(emulators, provider);
    const res = await track(api.post("/api/v1/provider_connections", body, { token: apiKey }));
    expect(res.status, res.text).toBe(201);
    expect(res.body).toMatchObject({ provider, enabled: true, priority: 1, weight: 1, verification: { status: "verified" }, health: { state: "closed", consecutive_failures: 0 } });
    expect(res.body.verification.message).toMatch(provider === "smtp" ? /SMTP/ : /API key is valid/);
    expect(res.body.credentials_hint).toContain("…");
    for (const secret of secretsOf(body)) expect(res.text).not.toContain(secret);
    expect(res.body).not.toHaveProperty("api_key");
    expect(res.body).not.toHaveProperty("secret");
    const row = await (await getDb()).providerConnection.findUniqueOrThrow({ where: { id: res.body.id } });
    for (const secret of secretsOf(body)) expect(row.credentialsEncrypted).not.toContain(secret);
  });

  it("follows the seed's verify shape, and stores a failed verification with the provider's reason", async () => {
    const { apiKey } = await signUp();
    const created = await track(api.post("/api/v1/provider_connections", connectionBody(emulators, "sendgrid", { priority: 1 }), { token: apiKey }));
    const verified = await track(api.post(`/api/v1/provider_connections/${created.body.id}/verify`, undefined, { token: apiKey }));
    expect(verified.status).toBe(200);
    expect(verified.body).toEqual({ verification: { status: "verified", message: "API key is valid" } });

    const rotated = await track(api.patch(`/api/v1/provider_connections/${created.body.id}`, { api_key: "SG.revoked-key-000000" }, { token: apiKey }));
    expect(rotated.status).toBe(200);
    expect(rotated.body.verification.status).toBe("failed");
    expect(rotated.body.verification.message).toBeTruthy();
    expect(rotated.text).not.toContain("SG.revoked-key-000000");
    const again = await track(api.post(`/api/v1/provider_connections/${created.body.id}/verify`, undefined, { token: apiKey }));
    expect(again.body.verification.status).toBe("failed");
  });

  it("lists by priority and updates settings without touching credentials", async () => {
    const { apiKey } = await signUp();
    const ses = await track(api.post("/api/v1/provider_connections", connectionBody(emulators, "aws_ses", { priority: 2 }), { token: apiKey }));
    const sg = await track(api.post("/api/v1/provider_connections", connectionBody(emulators, "sendgrid", { priority: 1 }), { token: apiKey }));
    const mg = await track(api.post("/api/v1/provider_connections", connectionBody(emulators, "mailgun", { priority: 3 }), { token: apiKey }));
    const list = await track(api.get("/api/v1/provider_connections", { token: apiKey }));
    expect(list.body.map((c: any) => c.id)).toEqual([sg.body.id, ses.body.id, mg.body.id]);
    expect(list.headers.get("x-total-count")).toBe("3");

    const patched = await track(api.patch(`/api/v1/provider_connections/${mg.body.id}`, { priority: 0, display_name: "Mailgun EU", enabled: false }, { token: apiKey }));
    expect(patched.body).toMatchObject({ priority: 0, display_name: "Mailgun EU", enabled: false, verification: { status: "verified" } });
    expect(patched.body.credentials_hint).toBe(mg.body.credentials_hint);

    const sesRotated = await track(api.patch(`/api/v1/provider_connections/${ses.body.id}`, { secret: "a-wrong-secret-value" }, { token: apiKey }));
    expect(sesRotated.body.verification.status).toBe("failed");
    const sesBack = await track(api.patch(`/api/v1/provider_connections/${ses.body.id}`, { secret: emulators.credentials.aws_ses.secretAccessKey }, { token: apiKey }));
    expect(sesBack.body.verification.status).toBe("verified");

    expect((await track(api.delete(`/api/v1/provider_connections/${sg.body.id}`, { token: apiKey }))).status).toBe(204);
    expect((await track(api.get(`/api/v1/provider_connections/${sg.body.id}`, { token: apiKey }))).status).toBe(404);
  });

  const missing: [ProviderName, Record<string, unknown>, string[]][] = [
    ["sendgrid", {}, ["api_key is required for sendgrid"]],
    ["mailgun", { api_key: "key-x" }, ["smtp_host (the Mailgun sending domain) is required for mailgun"]],
    ["aws_ses", { api_key: "AKIA1" }, ["secret (the secret access key) is required for aws_ses", "region is required for aws_ses"]],
    ["postmark", {}, ["api_key (the server token) is required for postmark"]],
    ["resend", { smtp_port: 25 }, ["api_key is required for resend", "smtp_port does not apply to resend"]],
    ["smtp", { api_key: "user" }, ["smtp_host is required for smtp", "smtp_port is required for smtp", "api_key (the SMTP username) and secret (the SMTP password) go together"]],
  ];
  it.each(missing)("refuses %s without its credentials, naming each field (422), and stores nothing", async (provider, body, errors) => {
    const { apiKey } = await signUp();
    const res = await track(api.post("/api/v1/provider_connections", { provider, ...body }, { token: apiKey }));
    expect(res.status).toBe(422);
    expect(res.body).toEqual({ errors });
    expect((await api.get("/api/v1/provider_connections", { token: apiKey })).body).toEqual([]);
  });

  it("refuses an unknown provider and malformed fields", async () => {
    const { apiKey } = await signUp();
    const res = await track(api.post("/api/v1/provider_connections", { provider: "sparkpost", api_key: "x" }, { token: apiKey }));
    expect(res.body.errors).toEqual(["provider must be one of: sendgrid, mailgun, aws_ses, postmark, resend, smtp"]);
    const port = await track(api.post("/api/v1/provider_connections", { provider: "smtp", smtp_host: "mail.example.com", smtp_port: 70000 }, { token: apiKey }));
    expect(port.body.errors).toEqual(["smtp_port must be between 1 and 65535"]);
  });

  it("refuses internal endpoint overrides in production unless allowed", async () => {
    const { apiKey } = await signUp();
    const saved = { NODE_ENV: env.NODE_ENV, DATABASE_URL: env.DATABASE_URL, ALLOW_PRIVATE_OUTBOUND: env.ALLOW_PRIVATE_OUTBOUND };
    Object.assign(env, { NODE_ENV: "production", DATABASE_URL: "postgresql://db.example/prod", ALLOW_PRIVATE_OUTBOUND: false });
    try {
      for (const endpoint of ["http://127.0.0.1:8080/", "http://169.254.169.254/latest", "http://10.0.0.5/", "http://[::1]/"]) {
        const res = await track(api.post("/api/v1/provider_connections", { provider: "sendgrid", api_key: "SG.x-123456789012", endpoint }, { token: apiKey }));
        expect(res.status, endpoint).toBe(422);
        expect(res.body.errors[0]).toMatch(/^endpoint is not allowed: .*not a public address/);
      }
      const smtp = await track(api.post("/api/v1/provider_connections", { provider: "smtp", smtp_host: "127.0.0.1", smtp_port: 25 }, { token: apiKey }));
      expect(smtp.body.errors[0]).toMatch(/^smtp_host is not allowed/);
      env.ALLOW_PRIVATE_OUTBOUND = true;
      const allowed = await track(api.post("/api/v1/provider_connections", connectionBody(emulators, "postmark"), { token: apiKey }));
      expect(allowed.status).toBe(201);
    } finally {
      Object.assign(env, saved);
    }
  });

  describe("stored credentials never go to a new destination", () => {
    let second: RecordingSmtpServer;
    beforeAll(async () => {
      second = await RecordingSmtpServer.start({ starttls: true });
    });
    afterAll(async () => second.stop());

    it("refuses an SMTP host/port change without the credentials: 422 naming them, no server contacted, row unchanged", async () => {
      const { apiKey } = await signUp();
      const created = await track(api.post("/api/v1/provider_connections", connectionBody(emulators, "smtp"), { token: apiKey }));
      expect(created.body.verification.status).toBe("verified");
      const db = await getDb();
      const before = await db.providerConnection.findUniqueOrThrow({ where: { id: created.body.id } });
      const firstServerSessions = emulators.smtp.connectionCount;

      const portOnly = await track(api.patch(`/api/v1/provider_connections/${created.body.id}`, { smtp_port: second.port }, { token: apiKey }));
      expect(portOnly.status).toBe(422);
      expect(portOnly.body).toEqual({
        errors: [
          "api_key must be sent again when smtp_port changes (stored credentials never go to a new destination)",
          "secret must be sent again when smtp_port changes (stored credentials never go to a new destination)",
        ],
      });
      const hostAndPort = await track(
        api.patch(`/api/v1/provider_connections/${created.body.id}`, { smtp_host: "localhost", smtp_port: second.port, priority: 7 }, { token: apiKey }),
      );
      expect(hostAndPort.status).toBe(422);
      expect(hostAndPort.body.errors[0]).toBe("api_key must be sent again when smtp_host and smtp_port change (stored credentials never go to a new destination)");
      const passwordOnly = await track(api.patch(`/api/v1/provider_connections/${created.body.id}`, { smtp_port: second.port, secret: "new-password-only" }, { token: apiKey }));
      expect(passwordOnly.body).toEqual({ errors: ["api_key must be sent again when smtp_port changes (stored credentials never go to a new destination)"] });
      const tlsOff = await track(api.patch(`/api/v1/provider_connections/${created.body.id}`, { require_tls: false }, { token: apiKey }));
      expect(tlsOff.body.errors).toHaveLength(2);

      expect(second.connections).toBe(0);
      expect(second.auths).toEqual([]);
      expect(emulators.smtp.connectionCount).toBe(firstServerSessions);
      expect(await db.providerConnection.findUniqueOrThrow({ where: { id: created.body.id } })).toEqual(before);

      // Everything that does not move the credentials still changes without them.
      const renamed = await track(api.patch(`/api/v1/provider_connections/${created.body.id}`, { display_name: "Relay", priority: 3, weight: 2, enabled: false, smtp_port: emulators.smtp.port }, { token: apiKey }));
      expect(renamed.status, renamed.text).toBe(200);
      expect(renamed.body).toMatchObject({ display_name: "Relay", priority: 3, weight: 2, enabled: false });
      expect(second.connections).toBe(0);

      // With the credentials sent again the new server is used, and it only ever hears the new ones.
      const moved = await track(
        api.patch(`/api/v1/provider_connections/${created.body.id}`, { smtp_host: "localhost", smtp_port: second.port, api_key: "relay-user-2", secret: "relay-password-2" }, { token: apiKey }),
      );
      expect(moved.status, moved.text).toBe(200);
      expect(moved.body.verification.status).toBe("verified");
      expect(second.auths).toEqual([{ username: "relay-user-2", password: "relay-password-2", secure: true }]);
      expect(JSON.stringify(second.auths)).not.toContain(emulators.credentials.smtp.password);
    });

    const httpMoves: [ProviderName, Record<string, unknown>, string[]][] = [
      ["sendgrid", { endpoint: "http://127.0.0.1:9/elsewhere" }, ["api_key must be sent again when endpoint changes (stored credentials never go to a new destination)"]],
      ["postmark", { endpoint: null }, ["api_key must be sent again when endpoint changes (stored credentials never go to a new destination)"]],
      ["mailgun", { region: "eu", smtp_host: "mg.other.test" }, ["api_key must be sent again when region and smtp_host change (stored credentials never go to a new destination)"]],
      [
        "aws_ses",
        { region: "eu-west-1" },
        [
          "api_key must be sent again when region changes (stored credentials never go to a new destination)",
          "secret must be sent again when region changes (stored credentials never go to a new destination)",
        ],
      ],
    ];
    it.each(httpMoves)("refuses moving a %s connection without its credentials and contacts nothing", async (provider, patch, errors) => {
      const { apiKey } = await signUp();
      const created = await track(api.post("/api/v1/provider_connections", connectionBody(emulators, provider), { token: apiKey }));
      expect(created.status).toBe(201);
      const db = await getDb();
      const before = await db.providerConnection.findUniqueOrThrow({ where: { id: created.body.id } });
      const requestsBefore = emulators.http.requests(provider as HttpProvider).length;
      const res = await track(api.patch(`/api/v1/provider_connections/${created.body.id}`, patch, { token: apiKey }));
      expect(res.status).toBe(422);
      expect(res.body).toEqual({ errors });
      expect(emulators.http.requests(provider as HttpProvider)).toHaveLength(requestsBefore);
      expect(await db.providerConnection.findUniqueOrThrow({ where: { id: created.body.id } })).toEqual(before);
      // Sending the same value again is not a move.
      const same = await track(api.patch(`/api/v1/provider_connections/${created.body.id}`, { endpoint: before.settings && (before.settings as { endpoint?: string }).endpoint }, { token: apiKey }));
      expect(same.status, same.text).toBe(200);
    });
  });

  it("isolates tenants: another tenant's connection is 404 everywhere", async () => {
    const a = await signUp("A");
    const b = await signUp("B");
    const conn = await track(api.post("/api/v1/provider_connections", connectionBody(emulators, "resend"), { token: a.apiKey }));
    const id = conn.body.id;
    expect((await track(api.get("/api/v1/provider_connections", { token: b.apiKey }))).body).toEqual([]);
    for (const res of [
      await track(api.get(`/api/v1/provider_connections/${id}`, { token: b.apiKey })),
      await track(api.patch(`/api/v1/provider_connections/${id}`, { priority: 9 }, { token: b.apiKey })),
      await track(api.post(`/api/v1/provider_connections/${id}/verify`, undefined, { token: b.apiKey })),
      await track(api.delete(`/api/v1/provider_connections/${id}`, { token: b.apiKey })),
    ]) {
      expect(res.status).toBe(404);
      expect(res.body).toEqual({ error: "Not found" });
    }
    expect((await track(api.get(`/api/v1/provider_connections/${id}`, { token: a.apiKey }))).body.priority).toBe(1);
  });

  it("keeps working across an encryption key rotation: old rows decrypt, rewrites use the new key", async () => {
    const { apiKey } = await signUp();
    const created = await track(api.post("/api/v1/provider_connections", connectionBody(emulators, "postmark"), { token: apiKey }));
    const db = await getDb();
    const before = await db.providerConnection.findUniqueOrThrow({ where: { id: created.body.id } });
    const original = getSecrets();
    const oldKey = original.keyRing.keys.get(original.keyRing.current)!.toString("base64");
    setSecretsForTests({ ...original, keyRing: parseKeyRing(`${original.keyRing.current}:${oldKey},${original.keyRing.current + 1}:${randomBytes(32).toString("base64")}`) });
    try {
      const verified = await track(api.post(`/api/v1/provider_connections/${created.body.id}/verify`, undefined, { token: apiKey }));
      expect(verified.body.verification.status).toBe("verified");
      expect(envelopeKeyVersion(before.credentialsEncrypted)).toBe(original.keyRing.current);
      await track(api.patch(`/api/v1/provider_connections/${created.body.id}`, { api_key: emulators.credentials.postmark.serverToken }, { token: apiKey }));
      const after = await db.providerConnection.findUniqueOrThrow({ where: { id: created.body.id } });
      expect(envelopeKeyVersion(after.credentialsEncrypted)).toBe(original.keyRing.current + 1);
      expect(after.verificationStatus).toBe("verified");
    } finally {
      setSecretsForTests(original);
    }
  });

  it("never shows a raw secret in any response or log line of this file", () => {
    const secrets = [
      ...PROVIDER_NAMES.flatMap((p) => secretsOf(connectionBody(emulators, p))),
      "SG.revoked-key-000000",
      "a-wrong-secret-value",
      "relay-password-2",
      "new-password-only",
    ];
    expect(responses.length).toBeGreaterThan(20);
    expect(logLines.length).toBeGreaterThan(0);
    for (const secret of secrets) {
      for (const res of responses) expect(res.text, `response leaks ${secret}`).not.toContain(secret);
      for (const line of logLines) expect(line, `log leaks ${secret}`).not.toContain(secret);
    }
  });
});
