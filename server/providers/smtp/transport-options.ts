import type SMTPPool from "nodemailer/lib/smtp-pool";
import type SMTPTransport from "nodemailer/lib/smtp-transport";
import type { ProviderConnectionConfig } from "../types";
import { guardOf } from "../shared/outbound";
import { connectGuarded } from "./guarded-socket";

/** The options every SMTP transport here is built from (pooled for sends, single-use for verify). */
export function smtpTransportOptions(connection: ProviderConnectionConfig, timeoutMs: number): SMTPTransport.Options {
  const { smtpHost, smtpPort, secure, requireTls, tlsRejectUnauthorized, tlsServername, tlsMinVersion } = connection.settings;
  // A configured timeout may shorten a wait, never outlast the call's budget (which bounds a send slot).
  const within = (ms: number | undefined) => Math.min(ms ?? timeoutMs, timeoutMs);
  const connectionTimeout = within(connection.settings.connectionTimeoutMs);
  const port = smtpPort ?? (secure ? 465 : 587);
  const { apiKey: user, secret: pass } = connection.credentials;
  const implicitTls = secure ?? port === 465;
  return {
    host: smtpHost,
    port,
    // The EHLO name: nodemailer would send os.hostname(), which names our machine (often an internal
    // DNS name) to any server a tenant chooses. A literal address is a valid EHLO argument.
    name: "[127.0.0.1]",
    // Implicit TLS on 465 unless told otherwise; elsewhere STARTTLS, required whenever there are
    // credentials to send (never AUTH in clear text) unless the connection explicitly sets require_tls: false.
    secure: implicitTls,
    requireTLS: requireTls ?? (Boolean(user) && !implicitTls),
    ...(user ? { auth: { user, pass: pass ?? "" } } : {}),
    // Certificates are verified unless the connection explicitly opts out (self-signed relays).
    tls: { rejectUnauthorized: tlsRejectUnauthorized ?? true, minVersion: tlsMinVersion ?? "TLSv1.2", ...(tlsServername ? { servername: tlsServername } : {}) },
    // Nodemailer's defaults are 2 min / 30 s / 10 min: far too long to hold a send slot.
    connectionTimeout,
    greetingTimeout: within(connection.settings.greetingTimeoutMs),
    socketTimeout: within(connection.settings.socketTimeoutMs),
    dnsTimeout: timeoutMs,
    // Sockets to the checked, pinned address (see guarded-socket.ts).
    getSocket: connectGuarded(connectionTimeout, guardOf(connection)),
  };
}

export function smtpPoolOptions(connection: ProviderConnectionConfig, timeoutMs: number): SMTPPool.Options {
  return {
    ...smtpTransportOptions(connection, timeoutMs),
    pool: true,
    // Conservative: many relays (Office 365 among them) cap concurrent connections per account.
    maxConnections: 3,
    maxMessages: 100,
  };
}
