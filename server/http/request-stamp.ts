/**
 * What only the server can know about a request, stamped into headers only this process can write.
 *
 * - The socket peer. App Router handlers never see the socket, and Next.js only fills X-Forwarded-For
 *   from the socket when the client sent none, so every header a handler reads could have been written
 *   by the client. The patch writes the peer address into a header whose name is random per process (a
 *   client cannot know it, so cannot forge it — not even for a request that arrived before the patch was
 *   installed).
 * - A method Next.js does not route (TRACE, PROPFIND, …): Next.js answers those with an empty 400 or a
 *   500 before any route code runs. Under /api/ the patch turns them into OPTIONS, which has no side
 *   effects, and records the original method, so the route's OPTIONS handler answers the JSON 405 with
 *   that route's own Allow header (server/http/methods.ts).
 *
 * The names live on globalThis: instrumentation and route handlers are separate bundles.
 */
import { randomBytes } from "node:crypto";
import http from "node:http";
import https from "node:https";

const NAME_KEY = Symbol.for("courierx.requestStampName");
const INSTALLED_KEY = Symbol.for("courierx.requestStampInstalled");

type Slots = { [NAME_KEY]?: string; [INSTALLED_KEY]?: boolean };
const slots = globalThis as Slots;

/** The methods Next.js dispatches to route handlers (every /api/v1 route file exports all of them: methods.ts). */
export const ROUTE_METHODS = ["GET", "HEAD", "OPTIONS", "POST", "PUT", "PATCH", "DELETE"] as const;
export const ROUTED_METHODS: ReadonlySet<string> = new Set(ROUTE_METHODS);

/** The header carrying the socket peer, as Next.js lower-cases it. */
export function peerHeaderName(): string {
  slots[NAME_KEY] ??= `x-courierx-peer-${randomBytes(12).toString("hex")}`;
  return slots[NAME_KEY];
}

/** The header carrying a method Next.js would not have routed (the request arrives as OPTIONS). */
export function unroutedMethodHeaderName(): string {
  return `${peerHeaderName()}-method`;
}

/** The socket peer address written by the server patch; null when the patch did not see this request. */
export function socketPeer(req: Request): string | null {
  return req.headers.get(peerHeaderName());
}

/** The client's real method when the patch rewrote it to OPTIONS; null otherwise. */
export function unroutedMethod(req: Request): string | null {
  return req.headers.get(unroutedMethodHeaderName());
}

/**
 * Patches every node:http(s) server of this process (including the one `next start` already created) to
 * stamp each incoming request before any listener runs. Idempotent.
 */
export function installRequestStamp(): void {
  if (slots[INSTALLED_KEY]) return;
  slots[INSTALLED_KEY] = true;
  const peer = peerHeaderName();
  const method = unroutedMethodHeaderName();
  for (const proto of [http.Server.prototype, https.Server.prototype] as http.Server[]) {
    const emit = proto.emit as (this: http.Server, event: string | symbol, ...args: unknown[]) => boolean;
    proto.emit = function patchedEmit(this: http.Server, event: string | symbol, ...args: unknown[]) {
      if (event === "request") stamp(args[0] as http.IncomingMessage, peer, method);
      return emit.call(this, event, ...args);
    } as typeof proto.emit;
  }
}

function stamp(req: http.IncomingMessage, peer: string, method: string): void {
  req.headers[peer] = req.socket?.remoteAddress ?? "";
  delete req.headers[method];
  if (req.method && !ROUTED_METHODS.has(req.method) && req.url?.startsWith("/api/")) {
    req.headers[method] = req.method;
    req.method = "OPTIONS";
  }
}
