import http from "node:http";
import https from "node:https";
import type { Duplex } from "node:stream";
import {
  guardedLookup,
  literalAddress,
  literalRefusal,
  OutboundAddressError,
  outboundGuard,
  urlHostname,
  type OutboundGuard,
} from "../../lib/outbound-guard";
import type { ProviderConnectionConfig, ProviderError } from "../types";
import { outboundRefusedError } from "./network-errors";

/**
 * The sockets every adapter opens go through the connection's outbound guard: names through its lookup
 * (checked at connect time, so DNS rebinding after an earlier check changes nothing), IP literals through
 * a check before connecting (no lookup runs for them). Redirects are never followed: a 3xx from an
 * endpoint is an answer, not a new destination.
 */

/** A connection built without a guard may reach public addresses only. */
export function guardOf(connection: ProviderConnectionConfig): OutboundGuard {
  return connection.outbound ?? outboundGuard({ allowLoopback: false, allowPrivate: false });
}

/** The refusal for an IP-literal host (which no lookup will see), or undefined for an allowed one or a name. */
export function literalHostRefusal(host: string | null | undefined, guard: OutboundGuard): OutboundAddressError | undefined {
  if (!host) return undefined;
  const hostname = host.replace(/^\[(.*)\]$/, "$1");
  let literal;
  try {
    literal = literalAddress(hostname);
  } catch (error) {
    return error instanceof OutboundAddressError ? error : undefined;
  }
  return literal ? literalRefusal(literal, hostname, guard.policy) : undefined;
}

/**
 * For SDKs whose own errors would hide the refusal (fetch-based ones): an IP-literal endpoint the guard
 * refuses, as the provider error the send throws (and verify reports), checked before any request.
 */
export function endpointRefusal(providerLabel: string, endpoint: string | undefined, connection: ProviderConnectionConfig): ProviderError | undefined {
  if (!endpoint) return undefined;
  let refusal: OutboundAddressError | undefined;
  try {
    refusal = literalHostRefusal(urlHostname(endpoint), guardOf(connection));
  } catch (error) {
    refusal = error instanceof OutboundAddressError ? error : undefined;
  }
  return refusal ? outboundRefusedError(providerLabel, refusal.message) : undefined;
}

type ConnectionCallback = (err: Error | null, stream: Duplex) => void;

/**
 * An IP-literal host never reaches the agent's lookup, so each new socket is checked here first; names go
 * through the guarded lookup when the socket connects.
 */
function connectChecked<O extends http.ClientRequestArgs>(guard: OutboundGuard, options: O, callback: ConnectionCallback | undefined, connect: () => Duplex | null | undefined) {
  const refusal = literalHostRefusal(options.host ?? options.hostname, guard);
  if (!refusal) return connect();
  callback?.(refusal, undefined as unknown as Duplex);
  return undefined;
}

class GuardedHttpAgent extends http.Agent {
  constructor(private readonly guard: OutboundGuard) {
    super({ keepAlive: true, lookup: guardedLookup(guard) });
  }

  override createConnection(options: http.ClientRequestArgs, callback?: ConnectionCallback): Duplex | null | undefined {
    return connectChecked(this.guard, options, callback, () => super.createConnection(options, callback));
  }
}

class GuardedHttpsAgent extends https.Agent {
  constructor(private readonly guard: OutboundGuard) {
    super({ keepAlive: true, lookup: guardedLookup(guard) });
  }

  override createConnection(options: https.RequestOptions, callback?: ConnectionCallback): Duplex | null | undefined {
    return connectChecked(this.guard, options, callback, () => super.createConnection(options, callback));
  }
}

export interface GuardedAgents {
  httpAgent: http.Agent;
  httpsAgent: https.Agent;
}

/** node:http agents (axios, the AWS SDK) whose every new socket is checked; one pair per SDK client. */
export function guardedAgents(guard: OutboundGuard): GuardedAgents {
  return { httpAgent: new GuardedHttpAgent(guard), httpsAgent: new GuardedHttpsAgent(guard) };
}

/** The part of undici's Dispatcher that fetch's `dispatcher` option needs here. */
export interface FetchDispatcher {
  close(): Promise<void>;
}

type UndiciAgentConstructor = new (options: { connect: { lookup: ReturnType<typeof guardedLookup> } }) => FetchDispatcher;

/**
 * An undici Agent from the undici that runs Node's own fetch, so no second copy of undici is needed:
 * Node keeps its global dispatcher (an Agent) under this documented cross-version symbol. Node loads its
 * undici lazily, on first use of a fetch global; touching Headers loads it synchronously (fetch itself may
 * be wrapped by Next.js, which would defer the load).
 */
function undiciAgentConstructor(): UndiciAgentConstructor {
  const symbol = Symbol.for("undici.globalDispatcher.1");
  const globals = globalThis as unknown as Record<symbol, object | undefined>;
  if (!globals[symbol]) void new Headers();
  const dispatcher = globals[symbol];
  const constructor = dispatcher ? (Object.getPrototypeOf(dispatcher) as { constructor?: unknown }).constructor : undefined;
  // Fail closed: without a dispatcher whose lookup we control, no fetch-based provider call goes out.
  if (typeof constructor !== "function" || (constructor as { name?: string }).name !== "Agent") {
    throw new Error("Cannot build a guarded fetch dispatcher: Node's undici Agent is not available");
  }
  return constructor as UndiciAgentConstructor;
}

/** An undici dispatcher whose connections resolve through the guard (Postmark, Resend: both on fetch). */
export function guardedDispatcher(guard: OutboundGuard): FetchDispatcher {
  const Agent = undiciAgentConstructor();
  return new Agent({ connect: { lookup: guardedLookup(guard) } });
}

/** fetch options that route through the guarded dispatcher and never follow a redirect. */
export function guardedFetchInit(dispatcher: FetchDispatcher): { dispatcher: FetchDispatcher; redirect: "manual" } {
  return { dispatcher, redirect: "manual" };
}

/**
 * A fetch for SDKs that accept one (Postmark). Names resolve through the dispatcher's guarded lookup; the
 * adapter checks an IP-literal endpoint itself first (endpointRefusal), where the refusal can still
 * be reported as such.
 */
export function guardedFetch(dispatcher: FetchDispatcher): typeof fetch {
  return (input, init) => fetch(input, { ...init, ...guardedFetchInit(dispatcher) } as RequestInit);
}
