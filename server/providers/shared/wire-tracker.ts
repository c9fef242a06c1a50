import { AsyncLocalStorage } from "node:async_hooks";
import diagnosticsChannel from "node:diagnostics_channel";
import type { ProviderAcceptance } from "../types";

/**
 * What actually happened on the wire during one SDK call. Some SDKs flatten every transport failure into
 * one message (Resend: "Unable to fetch data", Postmark: "fetch failed") and hide response headers
 * (Postmark, Mailgun). Without this a refused connection could not be told from a reset after the request
 * was written, and Retry-After would be lost. Node's HTTP stacks publish these documented diagnostics
 * channels synchronously in the caller's async context, so an AsyncLocalStorage scope ties the events to
 * the one call that caused them, even under concurrency.
 */
export interface WireObservation {
  /** The HTTP stack registered the request; false means this observation saw nothing at all. */
  requestCreated: boolean;
  /** The request head reached the socket: the provider may have seen the request. */
  requestSent: boolean;
  /** Node / undici error code of the last transport failure, e.g. ECONNREFUSED or UND_ERR_SOCKET. */
  errorCode?: string;
  /** Its message (the outbound guard's refusals say which address was refused and why). */
  errorMessage?: string;
  /** HTTP status of the last response. */
  responseStatus?: number;
  /** Lower-cased response headers of the last response. */
  responseHeaders?: Record<string, string>;
}

const scope = new AsyncLocalStorage<WireObservation>();
const byRequest = new WeakMap<object, WireObservation>();

export function newWireObservation(): WireObservation {
  return { requestCreated: false, requestSent: false };
}

/**
 * "no" only when the request was provably registered and never written. If the channels reported
 * nothing (a future Node changing them), assume the worst: a possible duplicate beats a silent one.
 */
export function acceptanceFromWire(observation: WireObservation): ProviderAcceptance {
  return observation.requestCreated && !observation.requestSent ? "no" : "unknown";
}

export function trackWire<T>(observation: WireObservation, call: () => Promise<T>): Promise<T> {
  subscribeOnce();
  return scope.run(observation, call);
}

let subscribed = false;

function subscribeOnce(): void {
  if (subscribed) return;
  subscribed = true;

  // undici (global fetch): Postmark and Resend.
  diagnosticsChannel.subscribe("undici:request:create", registerRequest);
  diagnosticsChannel.subscribe("undici:client:sendHeaders", (message) => {
    const observation = observationOf(message);
    if (observation) observation.requestSent = true;
  });
  diagnosticsChannel.subscribe("undici:request:headers", (message) => {
    const observation = observationOf(message);
    if (!observation) return;
    const response = field(message, "response");
    observation.responseHeaders = headersFromRawList(field(response, "headers"));
    observation.responseStatus = statusOf(response);
  });
  diagnosticsChannel.subscribe("undici:request:error", (message) => {
    const observation = observationOf(message);
    const error = field(message, "error");
    const code = errorCodeOf(error);
    if (observation && code) {
      observation.errorCode = code;
      const text = field(error, "message");
      if (typeof text === "string") observation.errorMessage = text;
    }
  });

  // node:http (axios inside mailgun.js and @sendgrid/client).
  diagnosticsChannel.subscribe("http.client.request.start", registerRequest);
  diagnosticsChannel.subscribe("http.client.response.finish", (message) => {
    const observation = observationOf(message);
    if (!observation) return;
    const response = field(message, "response");
    observation.requestSent = true;
    observation.responseHeaders = headersFromRecord(field(response, "headers"));
    observation.responseStatus = statusOf(response);
  });
}

/** Published synchronously inside the SDK call, so the AsyncLocalStorage scope is the caller's. */
function registerRequest(message: unknown): void {
  const observation = scope.getStore();
  const request = requestOf(message);
  if (!observation || !request) return;
  observation.requestCreated = true;
  byRequest.set(request, observation);
}

function observationOf(message: unknown): WireObservation | undefined {
  const request = requestOf(message);
  return request ? byRequest.get(request) : undefined;
}

function requestOf(message: unknown): object | undefined {
  const request = field(message, "request");
  return typeof request === "object" && request !== null ? request : undefined;
}

function field(value: unknown, name: string): unknown {
  return typeof value === "object" && value !== null ? (value as Record<string, unknown>)[name] : undefined;
}

function statusOf(response: unknown): number | undefined {
  const status = field(response, "statusCode");
  return typeof status === "number" ? status : undefined;
}

function errorCodeOf(error: unknown): string | undefined {
  const code = field(error, "code");
  if (typeof code === "string") return code;
  const name = field(error, "name");
  return typeof name === "string" ? name : undefined;
}

/** undici hands over headers as a flat [name, value, name, value] list of Buffers. */
function headersFromRawList(raw: unknown): Record<string, string> {
  const headers: Record<string, string> = {};
  if (!Array.isArray(raw)) return headers;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    headers[String(raw[i]).toLowerCase()] = String(raw[i + 1]);
  }
  return headers;
}

function headersFromRecord(raw: unknown): Record<string, string> {
  const headers: Record<string, string> = {};
  if (typeof raw !== "object" || raw === null) return headers;
  for (const [name, value] of Object.entries(raw)) {
    if (typeof value === "string") headers[name.toLowerCase()] = value;
    else if (Array.isArray(value)) headers[name.toLowerCase()] = value.join(", ");
  }
  return headers;
}
