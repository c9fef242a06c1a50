import nodemailer, { type Transporter } from "nodemailer";
import type SMTPPool from "nodemailer/lib/smtp-pool";
import { ClientCache } from "../shared/client-cache";
import type { ProviderConnectionConfig } from "../types";
import { smtpPoolOptions } from "./transport-options";

export interface PooledTransport {
  transporter: Transporter<SMTPPool.SentMessageInfo>;
  /** Pending or passed verification; null until first use and again after a connection-level failure. */
  verification: Promise<void> | null;
}

/** Old pools are closed when credentials rotate or the LRU evicts them, so sockets never leak. */
const transports = new ClientCache<PooledTransport>({ maxEntries: 200, dispose: (pooled) => pooled.transporter.close() });

export function getPooledTransport(connection: ProviderConnectionConfig, timeoutMs: number): PooledTransport {
  return transports.get(connection, String(timeoutMs), () => ({
    transporter: nodemailer.createTransport(smtpPoolOptions(connection, timeoutMs)),
    verification: null,
  }));
}

/**
 * Verifies before first use (a clear auth/TLS error instead of a half-sent message) and again after any
 * connection-level failure. Concurrent first sends share one verification.
 */
export function ensureVerified(pooled: PooledTransport): Promise<void> {
  if (!pooled.verification) {
    const verification = pooled.transporter.verify().then(() => undefined);
    pooled.verification = verification;
    verification.catch(() => {
      if (pooled.verification === verification) pooled.verification = null;
    });
  }
  return pooled.verification;
}

/** For tests and graceful shutdown: closes every pooled SMTP connection. */
export function closeAllTransports(): void {
  transports.clear();
}
