const LABELS: Record<string, string> = {
  sendgrid: "SendGrid",
  aws_ses: "Amazon SES",
  mailgun: "Mailgun",
  postmark: "Postmark",
  resend: "Resend",
  smtp: "SMTP",
};

/** A provider's name as people know it ("aws_ses" → "Amazon SES"); the wire name for one not listed. */
export function providerLabel(provider: string | null | undefined): string | null {
  if (!provider) return null;
  return LABELS[provider] ?? provider;
}

/** Who took an email: its provider, the sandbox for a test email that had no connection to go through, or nobody yet. */
export function emailProviderLabel(email: { provider: string | null; test: boolean; status: string }): string | null {
  return providerLabel(email.provider) ?? (email.test && email.status !== "queued" && email.status !== "suppressed" ? "Sandbox" : null);
}
