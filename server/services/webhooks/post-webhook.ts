/**
 * One HTTP attempt of a delivery. The socket goes through the outbound guard (server/lib/outbound-guard.ts):
 * a name is resolved and checked at connect time, so a URL that passed the check when it was saved and
 * now resolves to an internal address is refused before connecting (DNS rebinding); an IP literal is
 * checked before connecting. Redirects are answers, never followed. The whole attempt (connect, request,
 * answer) has one time budget. Once the status line and headers are in, the attempt's outcome is that
 * status: a body still trickling in at the deadline is cut off there and the part read so far is the
 * snippet (a 200 whose body is slow is a success, not "no answer" to retry; a slow 410 still disables).
 */
import http from "node:http";
import https from "node:https";
import { isOutboundAddressError, type OutboundGuard } from "../../lib/outbound-guard";
import { guardedAgents } from "../../providers/shared/outbound";

/** The stored response snippet: the first 1,000 characters of the body. */
const SNIPPET_CHARS = 1_000;
/** Bytes read from a response body at most (the rest is dropped with the socket). */
const READ_BYTES = 16 * 1024;

export interface WebhookResponse {
  /** The receiver's status code; null when there was no answer. */
  statusCode: number | null;
  /** Why the attempt failed (no answer, refused destination, redirect, non-2xx); null on a 2xx. */
  error: string | null;
  snippet: string | null;
  durationMs: number;
}

interface PostOptions {
  guard: OutboundGuard;
  timeoutMs: number;
}

export function postWebhook(url: string, headers: Record<string, string>, body: string, { guard, timeoutMs }: PostOptions): Promise<WebhookResponse> {
  const started = performance.now();
  const target = new URL(url);
  const secure = target.protocol === "https:";
  // Agents of their own per attempt (destroyed after it): receivers are many hosts, each seen rarely.
  const agents = guardedAgents(guard);
  return new Promise((resolve) => {
    let settled = false;
    const finish = (result: Omit<WebhookResponse, "durationMs">) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      request.destroy();
      agents.httpAgent.destroy();
      agents.httpsAgent.destroy();
      resolve({ ...result, durationMs: Math.round(performance.now() - started) });
    };
    const request = (secure ? https : http).request(target, {
      method: "POST",
      agent: secure ? agents.httpsAgent : agents.httpAgent,
      headers: { ...headers, "content-length": String(Buffer.byteLength(body)) },
    });
    // Set once the status and headers arrived: from then on the deadline ends the body, not the answer.
    let answered: (() => void) | null = null;
    const timer = setTimeout(() => (answered ? answered() : finish({ statusCode: null, error: `No answer within ${timeoutMs} ms`, snippet: null })), timeoutMs);
    request.on("error", (error) => finish({ statusCode: null, error: describeError(error), snippet: null }));
    request.on("response", (response) => {
      const chunks: Buffer[] = [];
      let size = 0;
      const done = () => {
        const status = response.statusCode ?? 0;
        finish({ statusCode: status, error: statusError(status, response.headers.location), snippet: snippetOf(Buffer.concat(chunks)) });
      };
      answered = done;
      response.on("data", (chunk: Buffer) => {
        chunks.push(chunk);
        size += chunk.length;
        if (size >= READ_BYTES) done();
      });
      response.on("end", done);
      // A body cut off midway still leaves the status the receiver answered.
      response.on("error", done);
      response.on("close", done);
    });
    request.end(body);
  });
}

function statusError(status: number, location: string | undefined): string | null {
  if (status >= 200 && status < 300) return null;
  if (status >= 300 && status < 400) return `Redirect (${status}${location ? ` to ${sanitize(location, 200)}` : ""}) not followed`;
  return `The receiver answered ${status}`;
}

function describeError(error: Error): string {
  if (isOutboundAddressError(error)) return error.code === "EOUTBOUND" ? `Destination not allowed: ${error.message}` : error.message;
  const code = (error as NodeJS.ErrnoException).code;
  return sanitize(code && !error.message.includes(code) ? `${code}: ${error.message}` : error.message, 500);
}

/** Text the database can store: no NUL, cut by code point (never half a surrogate pair). */
function sanitize(text: string, maxChars: number): string {
  return Array.from(text.replace(/\u0000/g, "\uFFFD")).slice(0, maxChars).join("");
}

function snippetOf(bytes: Buffer): string | null {
  return bytes.length === 0 ? null : sanitize(bytes.toString("utf8"), SNIPPET_CHARS);
}
