import type { IncomingHttpHeaders } from "node:http";
import type { EmulatorCredentials } from "../credentials";

export type HttpProvider = "sendgrid" | "mailgun" | "aws_ses" | "postmark" | "resend";

export const HTTP_PROVIDERS: readonly HttpProvider[] = ["sendgrid", "mailgun", "aws_ses", "postmark", "resend"];

/** URL prefix each provider is served under, on every emulator port. */
export const PATH_PREFIX: Record<HttpProvider, string> = {
  sendgrid: "/sendgrid",
  mailgun: "/mailgun",
  aws_ses: "/ses",
  postmark: "/postmark",
  resend: "/resend",
};

/**
 * "5xx" server error, "429" rate limit with Retry-After, "hang" never answer, "reset" destroy the socket
 * after reading the request, "refuse" close the provider's listener (connection refused) until healed,
 * "401" the provider's bad-credentials answer, "invalid_recipient" the provider's bad-recipient answer.
 */
export type HttpFault = "5xx" | "429" | "slow" | "hang" | "reset" | "refuse" | "401" | "invalid_recipient";

export interface UploadedFile {
  field: string;
  filename: string;
  contentType: string;
  content: Buffer;
}

export interface ParsedForm {
  fields: Record<string, string[]>;
  files: UploadedFile[];
}

export interface RecordedRequest {
  provider: HttpProvider;
  method: string;
  /** Path below the provider prefix, e.g. "/v3/mail/send". */
  path: string;
  query: Record<string, string>;
  headers: IncomingHttpHeaders;
  body: Buffer;
  json?: unknown;
  form?: ParsedForm;
  /** SES raw content: the decoded MIME message. */
  rawMime?: string;
  /** What the emulator answered; undefined for "hang" and "reset". */
  response?: EmulatorResponse;
}

export interface EmulatorResponse {
  status: number;
  headers?: Record<string, string>;
  /** Objects are sent as JSON; strings as they are. */
  body?: string | object;
}

export interface ProviderState {
  credentials: EmulatorCredentials;
}

/** One provider's wire behaviour. A null from authenticate means the caller is who it claims to be. */
export interface ProviderEmulator {
  authenticate(request: RecordedRequest, state: ProviderState): EmulatorResponse | null;
  handle(request: RecordedRequest, state: ProviderState): EmulatorResponse;
  faultResponse(fault: "5xx" | "429" | "401" | "invalid_recipient", retryAfterSeconds: number): EmulatorResponse;
  /** Forget per-test state (idempotency keys). */
  reset?(): void;
}
