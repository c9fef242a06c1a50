import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { EmulatorCredentials } from "../credentials";
import { FaultPlan, type FaultOptions } from "../fault-plan";
import { parseRequest, providerForPath } from "./parse-request";
import { createProviderEmulators } from "./providers";
import {
  HTTP_PROVIDERS,
  PATH_PREFIX,
  type EmulatorResponse,
  type HttpFault,
  type HttpProvider,
  type ProviderEmulator,
  type ProviderState,
  type RecordedRequest,
} from "./types";

interface Listener {
  server: Server;
  port: number;
  refused: boolean;
}

const HOST = "127.0.0.1";

/**
 * One request handler, one listener per provider. Every listener serves every prefix; the separate ports
 * exist so that "refuse" can close one provider's port (a real ECONNREFUSED) while the others keep going.
 */
export class HttpEmulator {
  private readonly listeners = new Map<HttpProvider, Listener>();
  private readonly faults = new FaultPlan<HttpProvider, Exclude<HttpFault, "refuse">>();
  private readonly emulators: Record<HttpProvider, ProviderEmulator> = createProviderEmulators();
  private readonly hanging = new Set<ServerResponse>();
  private readonly recorded = emptyRecord<RecordedRequest[]>(() => []);
  private readonly counts = emptyRecord(() => ({ received: 0, accepted: 0 }));
  private readonly state: ProviderState;

  private constructor(
    credentials: EmulatorCredentials,
    private readonly record: boolean,
  ) {
    this.state = { credentials };
  }

  static async start(options: { credentials: EmulatorCredentials; record: boolean }): Promise<HttpEmulator> {
    const emulator = new HttpEmulator(options.credentials, options.record);
    await Promise.all(HTTP_PROVIDERS.map((provider) => emulator.open(provider, 0)));
    return emulator;
  }

  endpoint(provider: HttpProvider): string {
    return `http://${HOST}:${this.listenerOf(provider).port}${PATH_PREFIX[provider]}`;
  }

  requests(provider: HttpProvider): readonly RecordedRequest[] {
    return this.recorded[provider];
  }

  /** Requests seen and answered 2xx, counted even when recording is off. */
  stats(provider: HttpProvider): { received: number; accepted: number } {
    return { ...this.counts[provider] };
  }

  async fail(provider: HttpProvider, fault: HttpFault, options: FaultOptions = {}): Promise<void> {
    if (fault !== "refuse") {
      this.faults.add(provider, fault, options);
      return;
    }
    // A refused port cannot count attempts, so "refuse" lasts until heal() or reset().
    const listener = this.listenerOf(provider);
    listener.refused = true;
    await closeServer(listener.server);
    await settleClientSockets();
  }

  /** Clears armed faults and reopens refused ports (on the same port numbers). */
  async heal(provider?: HttpProvider): Promise<void> {
    const targets = provider ? [provider] : HTTP_PROVIDERS;
    for (const target of targets) this.faults.clear(target);
    await Promise.all(
      targets.map(async (target) => {
        const listener = this.listenerOf(target);
        if (listener.refused) await this.open(target, listener.port);
      }),
    );
  }

  async reset(): Promise<void> {
    await this.heal();
    for (const response of this.hanging) response.socket?.destroy();
    this.hanging.clear();
    for (const provider of HTTP_PROVIDERS) {
      this.recorded[provider].length = 0;
      this.counts[provider] = { received: 0, accepted: 0 };
      this.emulators[provider].reset?.();
    }
  }

  async stop(): Promise<void> {
    for (const response of this.hanging) response.socket?.destroy();
    this.hanging.clear();
    await Promise.all([...this.listeners.values()].map((listener) => closeServer(listener.server)));
  }

  private listenerOf(provider: HttpProvider): Listener {
    const listener = this.listeners.get(provider);
    if (!listener) throw new Error(`No emulator listener for ${provider}`);
    return listener;
  }

  private async open(provider: HttpProvider, port: number): Promise<void> {
    const server = createServer((req, res) => this.onRequest(req, res));
    // Longer than any client's idle keep-alive, so clients do not race the server closing idle sockets.
    server.keepAliveTimeout = 60_000;
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(port, HOST, () => {
        server.off("error", reject);
        resolve();
      });
    });
    this.listeners.set(provider, { server, port: (server.address() as AddressInfo).port, refused: false });
  }

  private onRequest(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? "/", `http://${HOST}`);
    const provider = providerForPath(url.pathname);
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      if (!provider) {
        send(res, { status: 404, body: { message: `No emulated provider at ${url.pathname}` } });
        return;
      }
      const request = parseRequest(provider, req, url, Buffer.concat(chunks));
      this.counts[provider].received += 1;
      if (this.record) this.recorded[provider].push(request);
      this.answer(provider, request, req, res);
    });
  }

  private answer(provider: HttpProvider, request: RecordedRequest, req: IncomingMessage, res: ServerResponse): void {
    const emulator = this.emulators[provider];
    const armed = this.faults.take(provider);
    if (armed?.fault === "hang") {
      this.hanging.add(res);
      res.on("close", () => this.hanging.delete(res));
      return;
    }
    if (armed?.fault === "slow") {
      // Acts on the request (accepts it) like any healthy provider, only late: the client is still waiting.
      const response = emulator.authenticate(request, this.state) ?? emulator.handle(request, this.state);
      request.response = response;
      if (response.status < 300) this.counts[provider].accepted += 1;
      const timer = setTimeout(() => send(res, response), armed.options.delayMs ?? 2000);
      res.on("close", () => clearTimeout(timer));
      return;
    }
    if (armed?.fault === "reset") {
      // After the whole request was read: the provider may have acted on it, the client gets no answer.
      req.socket.destroy();
      return;
    }
    const response = armed
      ? emulator.faultResponse(armed.fault, armed.options.retryAfterSeconds)
      : (emulator.authenticate(request, this.state) ?? emulator.handle(request, this.state));
    request.response = response;
    if (response.status < 300) this.counts[provider].accepted += 1;
    send(res, response);
  }
}

function send(res: ServerResponse, response: EmulatorResponse): void {
  const headers: Record<string, string> = { ...response.headers };
  let payload = "";
  if (typeof response.body === "string") {
    payload = response.body;
  } else if (response.body !== undefined) {
    payload = JSON.stringify(response.body);
    if (!Object.keys(headers).some((name) => name.toLowerCase() === "content-type")) headers["Content-Type"] = "application/json";
  }
  headers["Content-Length"] = String(Buffer.byteLength(payload));
  // Node fills in the standard reason phrase ("Accepted", "Too Many Requests"), which SendGrid's SDK
  // reports as the error message.
  res.writeHead(response.status, headers);
  res.end(payload);
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    if (!server.listening) {
      resolve();
      return;
    }
    server.close(() => resolve());
    // Keep-alive sockets would otherwise keep serving a "refused" provider.
    server.closeAllConnections();
  });
}

/**
 * Clients in this process still hold keep-alive sockets to the closed port; give them a moment to see the
 * FIN, as after any real outage. Otherwise the next request races a dying socket and fails with a reset
 * (correctly "maybe sent") instead of the refusal this fault is meant to produce.
 */
function settleClientSockets(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 25));
}

function emptyRecord<V>(make: () => V): Record<HttpProvider, V> {
  return Object.fromEntries(HTTP_PROVIDERS.map((provider) => [provider, make()])) as Record<HttpProvider, V>;
}
