/**
 * Offline stand-ins for the six providers, speaking each one's real wire format so the real SDKs can be
 * pointed at them (see docs PROVIDERS.md):
 *
 * - HTTP: one handler serving /sendgrid, /mailgun, /ses, /postmark and /resend, bound to one listener per
 *   provider on its own random port. Any port answers any prefix; separate ports exist so that the
 *   "refuse" fault can close one provider's port (a genuine ECONNREFUSED) and reopen it on the same port
 *   when healed. A refused port cannot count attempts, so "refuse" ignores `times` and lasts until
 *   heal()/reset(). Auth is checked as each provider does (SES recomputes SigV4 with the configured secret).
 * - SMTP: a real smtp-server with STARTTLS (self-signed cert in ./certs, valid until 2126) and AUTH
 *   PLAIN/LOGIN allowed only after STARTTLS.
 *
 * Usage: `const emulators = await startEmulators(); adapter.send(message, emulators.connection("mailgun"))`,
 * then assert on `emulators.http.requests("mailgun")` or `emulators.smtp.received`. Inject faults with
 * `await emulators.fail("resend", "429", { times: 2 })`. Nothing is logged per request; with
 * `record: false` only counters are kept, for benchmarks.
 */
import { outboundGuard, type OutboundGuard } from "@/server/lib/outbound-guard";
import type { ProviderConnectionConfig, ProviderName } from "@/server/providers/types";
import { TEST_CREDENTIALS, type EmulatorCredentials } from "./credentials";
import type { FaultOptions } from "./fault-plan";
import { HttpEmulator } from "./http/http-emulator";
import { HTTP_PROVIDERS, type HttpFault, type HttpProvider } from "./http/types";
import { SmtpEmulator, type SmtpFault } from "./smtp-emulator";

export { SMTP_REJECTED_RECIPIENT, TEST_CREDENTIALS, type EmulatorCredentials } from "./credentials";
export type { FaultOptions } from "./fault-plan";
export type { HttpFault, HttpProvider, ParsedForm, RecordedRequest, UploadedFile } from "./http/types";
export { HTTP_PROVIDERS } from "./http/types";
export type { ReceivedMail, SmtpEmulator, SmtpFault } from "./smtp-emulator";
export type { HttpEmulator } from "./http/http-emulator";

export interface StartEmulatorsOptions {
  /** Replaces the accepted credentials per provider (merged over TEST_CREDENTIALS). */
  credentials?: { [P in keyof EmulatorCredentials]?: Partial<EmulatorCredentials[P]> };
  /** Keep every request and message for assertions (default true). Benchmarks turn it off; counters stay. */
  record?: boolean;
}

export interface ConnectionOverrides {
  id?: string;
  credentials?: Partial<ProviderConnectionConfig["credentials"]>;
  settings?: Partial<ProviderConnectionConfig["settings"]>;
  outbound?: OutboundGuard;
  updatedAt?: Date;
}

export interface Emulators {
  /** Base URL per HTTP provider, prefix included, e.g. http://127.0.0.1:PORT/sendgrid. */
  endpoints: Record<HttpProvider, string>;
  http: HttpEmulator;
  smtp: SmtpEmulator;
  /** The credentials the emulators accept; mutate to rotate keys mid-test. */
  credentials: EmulatorCredentials;
  /** A connection config that reaches the emulator for that provider with valid credentials. */
  connection(provider: ProviderName, overrides?: ConnectionOverrides): ProviderConnectionConfig;
  fail(provider: HttpProvider, fault: HttpFault, options?: FaultOptions): Promise<void>;
  fail(provider: "smtp", fault: SmtpFault, options?: FaultOptions): Promise<void>;
  /** Clears armed faults and reopens refused ports, for one provider or all. */
  heal(provider?: HttpProvider | "smtp"): Promise<void>;
  /** heal() plus forgetting everything recorded. */
  reset(): Promise<void>;
  stop(): Promise<void>;
}

/** Starts the HTTP provider emulators and the SMTP server on random 127.0.0.1 ports. */
export async function startEmulators(options: StartEmulatorsOptions = {}): Promise<Emulators> {
  const credentials = mergeCredentials(options.credentials);
  const record = options.record ?? true;
  const [http, smtp] = await Promise.all([HttpEmulator.start({ credentials, record }), SmtpEmulator.start({ credentials, record })]);
  const endpoints = Object.fromEntries(HTTP_PROVIDERS.map((provider) => [provider, http.endpoint(provider)])) as Record<HttpProvider, string>;

  function fail(provider: HttpProvider | "smtp", fault: HttpFault | SmtpFault, faultOptions?: FaultOptions): Promise<void> {
    if (provider === "smtp") return smtp.fail(fault as SmtpFault, faultOptions);
    return http.fail(provider, fault as HttpFault, faultOptions);
  }

  return {
    endpoints,
    http,
    smtp,
    credentials,
    connection: (provider, overrides = {}) => connectionFor(provider, { endpoints, smtp, credentials }, overrides),
    fail,
    async heal(provider) {
      if (provider === "smtp") return smtp.heal();
      if (provider) return http.heal(provider);
      await Promise.all([http.heal(), smtp.heal()]);
    },
    async reset() {
      await Promise.all([http.reset(), smtp.reset()]);
    },
    async stop() {
      await Promise.all([http.stop(), smtp.stop()]);
    },
  };
}

function connectionFor(
  provider: ProviderName,
  context: { endpoints: Record<HttpProvider, string>; smtp: SmtpEmulator; credentials: EmulatorCredentials },
  overrides: ConnectionOverrides,
): ProviderConnectionConfig {
  const { endpoints, smtp, credentials } = context;
  const base: Record<ProviderName, Pick<ProviderConnectionConfig, "credentials" | "settings">> = {
    sendgrid: { credentials: { apiKey: credentials.sendgrid.apiKey }, settings: { endpoint: endpoints.sendgrid } },
    mailgun: { credentials: { apiKey: credentials.mailgun.apiKey }, settings: { endpoint: endpoints.mailgun, domain: credentials.mailgun.domain } },
    aws_ses: {
      credentials: { apiKey: credentials.aws_ses.accessKeyId, secret: credentials.aws_ses.secretAccessKey },
      settings: { endpoint: endpoints.aws_ses, region: credentials.aws_ses.region },
    },
    postmark: { credentials: { apiKey: credentials.postmark.serverToken }, settings: { endpoint: endpoints.postmark } },
    resend: { credentials: { apiKey: credentials.resend.apiKey }, settings: { endpoint: endpoints.resend } },
    smtp: {
      credentials: { apiKey: credentials.smtp.user, secret: credentials.smtp.password },
      // STARTTLS is required, and the emulator's certificate is self-signed.
      settings: { smtpHost: smtp.host, smtpPort: smtp.port, secure: false, requireTls: true, tlsRejectUnauthorized: false },
    },
  };
  const chosen = base[provider];
  return {
    id: overrides.id ?? `emulator-${provider}`,
    provider,
    credentials: { ...chosen.credentials, ...overrides.credentials },
    settings: { ...chosen.settings, ...overrides.settings },
    // As the app's non-production policy: the emulators listen on loopback, nothing private is reachable.
    outbound: overrides.outbound ?? outboundGuard({ allowLoopback: true, allowPrivate: false }),
    ...(overrides.updatedAt ? { updatedAt: overrides.updatedAt } : {}),
  };
}

function mergeCredentials(overrides: StartEmulatorsOptions["credentials"] = {}): EmulatorCredentials {
  return {
    sendgrid: { ...TEST_CREDENTIALS.sendgrid, ...overrides.sendgrid },
    mailgun: { ...TEST_CREDENTIALS.mailgun, ...overrides.mailgun },
    aws_ses: { ...TEST_CREDENTIALS.aws_ses, ...overrides.aws_ses },
    postmark: { ...TEST_CREDENTIALS.postmark, ...overrides.postmark },
    resend: { ...TEST_CREDENTIALS.resend, ...overrides.resend },
    smtp: { ...TEST_CREDENTIALS.smtp, ...overrides.smtp },
  };
}
