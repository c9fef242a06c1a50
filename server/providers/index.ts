import { awsSesAdapter } from "./aws-ses";
import { clearSesClients } from "./aws-ses/client";
import { mailgunAdapter } from "./mailgun";
import { clearMailgunClients } from "./mailgun/client";
import { postmarkAdapter } from "./postmark";
import { clearPostmarkClients } from "./postmark/client";
import { resendAdapter } from "./resend";
import { clearResendClients } from "./resend/client";
import { sendgridAdapter } from "./sendgrid";
import { clearSendgridClients } from "./sendgrid/client";
import { closeAllTransports, smtpAdapter } from "./smtp";
import { PROVIDER_NAMES, type ProviderAdapter, type ProviderName } from "./types";

export const providerAdapters: Readonly<Record<ProviderName, ProviderAdapter>> = Object.freeze({
  sendgrid: sendgridAdapter,
  mailgun: mailgunAdapter,
  aws_ses: awsSesAdapter,
  postmark: postmarkAdapter,
  resend: resendAdapter,
  smtp: smtpAdapter,
});

export function getProviderAdapter(name: ProviderName): ProviderAdapter {
  return providerAdapters[name];
}

export function isProviderName(value: string): value is ProviderName {
  return (PROVIDER_NAMES as readonly string[]).includes(value);
}

/** Drops every cached SDK client and closes every SMTP pool: for graceful shutdown and tests. */
export function closeProviderClients(): void {
  clearSendgridClients();
  clearSesClients();
  clearMailgunClients();
  clearPostmarkClients();
  clearResendClients();
  closeAllTransports();
}

export { closeAllTransports };
export * from "./types";
