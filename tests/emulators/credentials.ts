/** Credentials the emulators accept unless a test configures others. Not secrets: local fakes only. */
export const TEST_CREDENTIALS = {
  sendgrid: { apiKey: "SG.courierx-test-key" },
  mailgun: { apiKey: "key-courierx-test", domain: "mg.courierx.test" },
  aws_ses: { accessKeyId: "AKIDCOURIERXTEST", secretAccessKey: "courierx-test-secret", region: "us-east-1" },
  postmark: { serverToken: "courierx-postmark-server-token" },
  /** `sendOnlyKey` behaves like a Resend "sending access" key: it can send but not list domains. */
  resend: { apiKey: "re_courierx_test_key", sendOnlyKey: "re_courierx_send_only" },
  smtp: { user: "courierx", password: "courierx-smtp-password" },
};

export type EmulatorCredentials = typeof TEST_CREDENTIALS;

/** Recipients whose local part starts with this are refused by the SMTP emulator with 550 5.1.1. */
export const SMTP_REJECTED_RECIPIENT = /^reject/i;
