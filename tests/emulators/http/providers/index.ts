import type { HttpProvider, ProviderEmulator } from "../types";
import { mailgunEmulator } from "./mailgun";
import { postmarkEmulator } from "./postmark";
import { createResendEmulator } from "./resend";
import { sendgridEmulator } from "./sendgrid";
import { sesEmulator } from "./ses";

export function createProviderEmulators(): Record<HttpProvider, ProviderEmulator> {
  return {
    sendgrid: sendgridEmulator,
    mailgun: mailgunEmulator,
    aws_ses: sesEmulator,
    postmark: postmarkEmulator,
    resend: createResendEmulator(),
  };
}
