/**
 * The outbound guard at the sockets of the real SDKs, against the emulators. Every address a test lets a
 * socket reach is 127.0.0.1: the scripted resolvers hand out a public address only to the explicit check
 * that precedes a send, never to a socket, so a broken guard would show up as an emulator request.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { assertOutboundUrlAllowed, assertOutboundHostAllowed, type OutboundGuard, type OutboundPolicy, type ResolvedAddress } from "@/server/lib/outbound-guard";
import { closeProviderClients, getProviderAdapter, PROVIDER_NAMES, type ProviderConnectionConfig, type ProviderName } from "@/server/providers";
import { startEmulators, type Emulators, type HttpProvider } from "../../emulators";
import { RecordingSmtpServer } from "../../emulators/recording-smtp-server";
import { providerErrorFrom, sampleMessage } from "./fixtures";

const PRODUCTION: OutboundPolicy = { allowLoopback: false, allowPrivate: false };
const EMBEDDED: OutboundPolicy = { allowLoopback: true, allowPrivate: false };
const TIMEOUT = { timeoutMs: 2_000 };
const PUBLIC = "93.184.216.34";

let emulators: Emulators;
let guardCount = 0;

beforeAll(async () => {
  emulators = await startEmulators();
});
beforeEach(async () => {
  await emulators.reset();
  closeProviderClients();
});
afterAll(async () => {
  closeProviderClients();
  await emulators.stop();
});

/** A guard whose resolver answers from a script: each call takes the next answer, the last one repeats. */
function scriptedGuard(policy: OutboundPolicy, ...answers: (string | ResolvedAddress[])[]): OutboundGuard & { calls: string[] } {
  const calls: string[] = [];
  guardCount += 1;
  return {
    policy,
    key: `scripted-${guardCount}`,
    calls,
    resolve: async (hostname) => {
      calls.push(hostname);
      const answer = answers[Math.min(calls.length - 1, answers.length - 1)]!;
      if (typeof answer === "string") throw Object.assign(new Error(`queryA ${answer} ${hostname}`), { code: answer });
      return answer;
    },
  };
}

const v4 = (address: string): ResolvedAddress[] => [{ address, family: 4 }];

/** The emulator connection for a provider, reached through `host` instead of 127.0.0.1. */
function connectionVia(provider: ProviderName, host: string, outbound: OutboundGuard): ProviderConnectionConfig {
  const base = emulators.connection(provider, { outbound });
  if (provider === "smtp") return { ...base, settings: { ...base.settings, smtpHost: host } };
  const endpoint = new URL(base.settings.endpoint!);
  endpoint.hostname = host;
  return { ...base, settings: { ...base.settings, endpoint: endpoint.href.replace(/\/$/, "") } };
}

/** What the emulator for a provider has seen so far. */
function contacts(provider: ProviderName): number {
  return provider === "smtp" ? emulators.smtp.connectionCount : emulators.http.requests(provider as HttpProvider).length;
}

describe("sockets connect only where the guard allows", () => {
  it.each(PROVIDER_NAMES)("%s: a name that answers public first, then 127.0.0.1, is refused at connect time in production", async (provider) => {
    const guard = scriptedGuard(PRODUCTION, v4(PUBLIC), v4("127.0.0.1"));
    const connection = connectionVia(provider, "rebind.test", guard);
    // The check a send makes first passes (the public answer)...
    if (provider === "smtp") await expect(assertOutboundHostAllowed("rebind.test", guard)).resolves.toEqual(v4(PUBLIC));
    else await expect(assertOutboundUrlAllowed(connection.settings.endpoint!, guard)).resolves.toEqual(v4(PUBLIC));
    // ...and the socket's own lookup, which now answers 127.0.0.1, refuses before connecting.
    const error = await providerErrorFrom(getProviderAdapter(provider).send(sampleMessage(), connection, TIMEOUT));
    expect(error).toMatchObject({ kind: "permanent", code: "EOUTBOUND", accepted: "no" });
    expect(error.reason).toMatch(/destination not allowed/);
    expect(contacts(provider)).toBe(0);
    expect(guard.calls.length).toBeGreaterThanOrEqual(2);
  });

  it.each(PROVIDER_NAMES)("%s: the same name is used when the policy allows loopback (embedded)", async (provider) => {
    const guard = scriptedGuard(EMBEDDED, v4("127.0.0.1"));
    const result = await getProviderAdapter(provider).send(sampleMessage(), connectionVia(provider, "rebind.test", guard), TIMEOUT);
    expect(result.providerMessageId).toBeTruthy();
    expect(contacts(provider)).toBeGreaterThan(0);
    expect(guard.calls).toContain("rebind.test");
  });

  it.each(PROVIDER_NAMES)("%s: an IP-literal endpoint on loopback is refused in production without connecting", async (provider) => {
    const guard = scriptedGuard(PRODUCTION, v4("127.0.0.1"));
    const error = await providerErrorFrom(getProviderAdapter(provider).send(sampleMessage(), emulators.connection(provider, { outbound: guard }), TIMEOUT));
    expect(error).toMatchObject({ kind: "permanent", code: "EOUTBOUND", accepted: "no" });
    expect(error.reason).toMatch(/127\.0\.0\.1 is not a public address \(loopback\)/);
    expect(contacts(provider)).toBe(0);
    expect(guard.calls).toEqual([]);
  });

  it.each(PROVIDER_NAMES)("%s: a DNS lookup that fails temporarily (EAI_AGAIN) is transient and certainly not sent", async (provider) => {
    const guard = scriptedGuard(EMBEDDED, "EAI_AGAIN");
    const error = await providerErrorFrom(getProviderAdapter(provider).send(sampleMessage(), connectionVia(provider, "flaky-dns.test", guard), TIMEOUT));
    expect(error).toMatchObject({ kind: "transient", accepted: "no" });
    expect(error.reason).toMatch(/EAI_AGAIN/);
    expect(contacts(provider)).toBe(0);
  });

  it.each(PROVIDER_NAMES)("%s: verification goes through the guard too", async (provider) => {
    const guard = scriptedGuard(PRODUCTION, v4("127.0.0.1"));
    const result = await getProviderAdapter(provider).verify(connectionVia(provider, "rebind.test", guard), TIMEOUT);
    expect(result.status).toBe("failed");
    // Refused, without telling the tenant which internal address the name resolves to.
    expect(result.message).toMatch(/rebind\.test resolves to a non-public address/);
    expect(result.message).not.toMatch(/127\.0\.0\.1/);
    expect(contacts(provider)).toBe(0);
  });
});

describe("HTTP redirects are never followed", () => {
  let redirector: http.Server;
  let trap: http.Server;
  let trapped = 0;
  let redirectorUrl = "";

  beforeAll(async () => {
    trap = http.createServer((req, res) => {
      trapped += 1;
      req.resume();
      res.end("{}");
    });
    await new Promise<void>((resolve) => trap.listen(0, "127.0.0.1", resolve));
    const trapUrl = `http://127.0.0.1:${(trap.address() as AddressInfo).port}/stolen`;
    redirector = http.createServer((req, res) => {
      req.resume();
      res.writeHead(307, { Location: trapUrl }).end();
    });
    await new Promise<void>((resolve) => redirector.listen(0, "127.0.0.1", resolve));
    redirectorUrl = `http://127.0.0.1:${(redirector.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => redirector.close(resolve));
    await new Promise((resolve) => trap.close(resolve));
  });

  // SES's handler never followed redirects; these four SDKs did (axios: 21 hops, fetch: 20).
  it.each(["sendgrid", "mailgun", "postmark", "resend"] as const)("%s: a 307 to another address is an answer, not a destination", async (provider) => {
    const before = trapped;
    const connection = emulators.connection(provider, { settings: { endpoint: `${redirectorUrl}/${provider}` } });
    const error = await providerErrorFrom(getProviderAdapter(provider).send(sampleMessage(), connection, TIMEOUT));
    expect(error).toMatchObject({ kind: "permanent", status: 307, accepted: "no" });
    expect(trapped).toBe(before);
  });
});

describe("SMTP safe by default", () => {
  let plain: RecordingSmtpServer;
  let tls: RecordingSmtpServer;
  beforeAll(async () => {
    [plain, tls] = await Promise.all([RecordingSmtpServer.start({ starttls: false }), RecordingSmtpServer.start({ starttls: true })]);
  });
  afterAll(async () => Promise.all([plain.stop(), tls.stop()]));

  function smtpConnection(server: RecordingSmtpServer, settings: ProviderConnectionConfig["settings"] = {}): ProviderConnectionConfig {
    guardCount += 1;
    return {
      id: `smtp-safe-${guardCount}`,
      provider: "smtp",
      credentials: { apiKey: "relay-user", secret: "relay-password" },
      settings: { smtpHost: server.host, smtpPort: server.port, secure: false, ...settings },
      outbound: scriptedGuard(EMBEDDED, v4("127.0.0.1")),
    };
  }

  it("with credentials and no implicit TLS, verified STARTTLS is required: no server without it (or with a bad certificate) sees AUTH", async () => {
    const error = await providerErrorFrom(getProviderAdapter("smtp").send(sampleMessage(), smtpConnection(plain, { tlsRejectUnauthorized: false }), TIMEOUT));
    expect(error).toMatchObject({ kind: "permanent", code: "ETLS", accepted: "no" });
    expect(error.reason).toMatch(/does not offer STARTTLS.*credentials were not sent/);
    const verified = await getProviderAdapter("smtp").verify(smtpConnection(plain, { tlsRejectUnauthorized: false }), TIMEOUT);
    expect(verified.status).toBe("failed");
    expect(plain.auths).toEqual([]);
    expect(plain.messages).toBe(0);

    // Clear-text AUTH only when the connection says so explicitly.
    const optedOut = await getProviderAdapter("smtp").send(sampleMessage(), smtpConnection(plain, { requireTls: false }), TIMEOUT);
    expect(optedOut.providerMessageId).toBeTruthy();
    // (The pool verifies on a connection of its own, then sends on another: two sessions.)
    expect(plain.auths.length).toBeGreaterThan(0);
    expect(plain.auths.every((a) => a.username === "relay-user" && a.password === "relay-password" && !a.secure)).toBe(true);
    expect(plain.messages).toBe(1);

    // And the TLS it insists on is verified unless the connection opts out: a self-signed relay never sees AUTH.
    const selfSigned = await getProviderAdapter("smtp").verify(smtpConnection(tls), TIMEOUT);
    expect(selfSigned.status).toBe("failed");
    expect(selfSigned.message).toMatch(/certificate/i);
    expect(tls.auths).toEqual([]);
    const trusted = await getProviderAdapter("smtp").verify(smtpConnection(tls, { tlsRejectUnauthorized: false }), TIMEOUT);
    expect(trusted.status).toBe("verified");
    expect(tls.auths).toEqual([{ username: "relay-user", password: "relay-password", secure: true }]);
  });
});
