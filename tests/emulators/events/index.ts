/**
 * The providers' side of their event webhooks, for tests: real-format payloads, signed (or authenticated)
 * exactly as each provider does it. See PROVIDERS.md 1.5, 2.5, 3.5, 4.5, 5.5.
 */
export { mailgunEventData, mailgunSigner, type MailgunSigner } from "./mailgun";
export { postmarkRecord, postmarkRequest } from "./postmark";
export { resendEvent, resendSigner, type ResendSigner } from "./resend";
export { sendgridBody, sendgridEvent, sendgridSigner, type SendgridSigner } from "./sendgrid";
export { makeSigningIdentity, sesEvent, signSnsMessage, startSnsStandIn, STAND_IN_CA, type SnsFields, type SnsStandIn } from "./sns";
export type { SignedWebhook } from "./types";
