/**
 * What each provider publishes in a sender's DNS, as far as it can be known without the provider's own
 * account data. An `include:` is checked in the domain's SPF record (Resend's in the `send.` subdomain it
 * uses as the return path); a DKIM selector is looked up where it is fixed, probed among a few common
 * names where the provider picks one per domain, and reported as unknown where it cannot be derived.
 */
import type { ProviderName } from "../../db";

export interface ProviderDns {
  /** The SPF mechanism the provider asks for, or null when there is none to check (an SMTP relay). */
  spfInclude: string | null;
  /** Subdomains (of the sending domain) whose SPF may carry the include, before the domain itself. */
  spfHosts: string[];
  dkim:
    | { kind: "fixed"; selectors: string[] }
    /** The provider assigns one of several selectors per domain: the first that has a record is reported. */
    | { kind: "probe"; selectors: string[]; unknownMessage: string }
    | { kind: "unknown"; message: string };
}

export const PROVIDER_DNS: Record<ProviderName, ProviderDns> = {
  // Automated security: s1/s2._domainkey are CNAMEs to SendGrid's keys (or TXT keys with it turned off).
  sendgrid: { spfInclude: "include:sendgrid.net", spfHosts: [], dkim: { kind: "fixed", selectors: ["s1", "s2"] } },
  aws_ses: {
    spfInclude: "include:amazonses.com",
    spfHosts: [],
    dkim: { kind: "unknown", message: "selector unknown: SES Easy DKIM uses three tokens of the identity (<token>._domainkey), shown in the SES console" },
  },
  mailgun: {
    spfInclude: "include:mailgun.org",
    spfHosts: [],
    dkim: {
      kind: "probe",
      selectors: ["smtp", "k1", "krs", "mx", "pic"],
      unknownMessage: "selector unknown: Mailgun picks it per domain (none of smtp, k1, krs, mx, pic has a record); see the domain's DNS records in Mailgun",
    },
  },
  postmark: {
    spfInclude: "include:spf.mtasv.net",
    spfHosts: [],
    dkim: { kind: "unknown", message: "selector unknown: Postmark's is date-based (<date>pm._domainkey), shown in the Postmark sender signature" },
  },
  // Resend sends through SES: its return path `send.<domain>` carries include:amazonses.com; DKIM is resend._domainkey.
  resend: { spfInclude: "include:amazonses.com", spfHosts: ["send"], dkim: { kind: "fixed", selectors: ["resend"] } },
  smtp: { spfInclude: null, spfHosts: [], dkim: { kind: "unknown", message: "selector unknown: it is set by your SMTP relay" } },
};
