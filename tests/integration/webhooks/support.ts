/**
 * Outgoing-webhook test support: a real HTTP receiver (node:http) that records what arrives and answers
 * from a script, the app's own local engine with a fast retry schedule, and endpoint helpers over the API.
 */
import http, { type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { env } from "@/server/env";
import { inngest } from "@/server/jobs/client";
import { createLocalEngine, setLocalEngine, startLocalEngine, stopLocalEngine, type Backoff, type LocalEngine } from "@/server/jobs/engine";
import { functions } from "@/server/jobs/functions";
import { inngestEndpoint } from "@/server/jobs/serve";
import { getDb } from "@/server/db";
import { api } from "../../helpers/api";
import { eventually } from "../../helpers/engine";

export interface ReceivedWebhook {
  headers: IncomingHttpHeaders;
  body: string;
  json: any;
  path: string;
  /** When the request (its whole body) arrived, and when it was answered (undefined while held). */
  arrivedAt: number;
  answeredAt?: number;
}

export interface ScriptedAnswer {
  status: number;
  body?: string;
  headers?: Record<string, string>;
  /** Wait this long before answering. */
  delayMs?: number;
  /** Never answer (the connection stays open until the caller gives up, or `release()`). */
  hang?: boolean;
  /** Send the status, headers and `body`, then keep the response open (a body that trickles past any deadline). */
  holdBody?: boolean;
}

export class Receiver {
  readonly received: ReceivedWebhook[] = [];
  /** Requests that are held (hang) or whose body is held open (holdBody), until `release()`. */
  private held: { res: http.ServerResponse; answered: boolean; received: ReceivedWebhook }[] = [];
  private answers: ScriptedAnswer[] = [];
  private fallback: ScriptedAnswer = { status: 200, body: "ok" };

  private constructor(private readonly server: http.Server) {}

  static async start(): Promise<Receiver> {
    const server = http.createServer();
    const receiver = new Receiver(server);
    server.on("request", (req, res) => receiver.handle(req, res));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    return receiver;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  /** The receiver's URL on 127.0.0.1 (allowed in the embedded default). */
  url(path = "/hooks"): string {
    return `http://127.0.0.1:${this.port}${path}`;
  }

  /** The next requests get these answers in turn; after them, `then` (default 200). */
  script(answers: ScriptedAnswer[], then: ScriptedAnswer = { status: 200, body: "ok" }): void {
    this.answers = [...answers];
    this.fallback = then;
  }

  reset(): void {
    this.received.length = 0;
    this.script([]);
  }

  /** How many requests are held right now. */
  get holding(): number {
    return this.held.length;
  }

  /** Ends every held request: a held answer gets `status` now, a held body ends. */
  release(status = 200): void {
    for (const { res, answered, received } of this.held.splice(0)) {
      received.answeredAt ??= Date.now();
      if (answered) res.end();
      else res.writeHead(status).end("released");
    }
  }

  async stop(): Promise<void> {
    this.held.length = 0;
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      let json: unknown = null;
      try {
        json = JSON.parse(body);
      } catch {
        json = null;
      }
      const received: ReceivedWebhook = { headers: req.headers, body, json, path: req.url ?? "", arrivedAt: Date.now() };
      this.received.push(received);
      const answer = this.answers.shift() ?? this.fallback;
      if (answer.hang) {
        this.held.push({ res, answered: false, received });
        return;
      }
      setTimeout(() => {
        received.answeredAt = Date.now();
        if (!answer.holdBody) {
          res.writeHead(answer.status, answer.headers).end(answer.body ?? "");
          return;
        }
        res.writeHead(answer.status, answer.headers).write(answer.body ?? "");
        this.held.push({ res, answered: true, received });
      }, answer.delayMs ?? 0);
    });
  }
}

export const FAST_WEBHOOK_TIMINGS = { WEBHOOK_RETRY_DELAYS: "100ms,100ms,100ms,100ms", WEBHOOK_TIMEOUT_MS: 2_000 };

/**
 * The app's engine (every app function) with fast webhook retries; `backoff`: the engine's pause before
 * it retries a step that threw (default 1 s doubling), for tests that make steps fail.
 */
export async function startWebhookEngine(timings: Partial<typeof FAST_WEBHOOK_TIMINGS> = {}, options: { backoff?: Backoff } = {}): Promise<{ engine: LocalEngine; stop(): Promise<void> }> {
  Object.assign(env, FAST_WEBHOOK_TIMINGS, timings);
  if (options.backoff) setLocalEngine(createLocalEngine({ client: inngest, functions, endpoint: inngestEndpoint, backoff: options.backoff }));
  const engine = await startLocalEngine({ role: "worker" });
  if (!engine) throw new Error("local engine did not start");
  return {
    engine,
    async stop() {
      await stopLocalEngine({ timeoutMs: 5000 });
      setLocalEngine(undefined);
    },
  };
}

export async function createEndpoint(token: string, body: Record<string, unknown>): Promise<{ id: string; secret: string; [key: string]: unknown }> {
  const res = await api.post("/api/v1/webhook_endpoints", body, { token });
  if (res.status !== 201) throw new Error(`create endpoint failed: ${res.status} ${res.text}`);
  return res.body;
}

/** The endpoint's deliveries as the API lists them (newest first). */
export async function deliveries(token: string, endpointId: string): Promise<any[]> {
  const res = await api.get(`/api/v1/webhook_endpoints/${endpointId}/deliveries?per_page=100`, { token });
  if (res.status !== 200) throw new Error(`list deliveries failed: ${res.status} ${res.text}`);
  return res.body;
}

/** Waits until every delivery of the endpoint is finished (none pending) and there are at least `count`. */
export async function settledDeliveries(token: string, endpointId: string, count: number, timeoutMs = 15_000): Promise<any[]> {
  return eventually(async () => {
    const list = await deliveries(token, endpointId);
    return list.length >= count && list.every((d) => d.status !== "pending") ? list : undefined;
  }, timeoutMs);
}

export async function waitForReceived(receiver: Receiver, count: number, timeoutMs = 15_000): Promise<ReceivedWebhook[]> {
  return eventually(() => (receiver.received.length >= count ? receiver.received : undefined), timeoutMs);
}

export async function endpointRow(endpointId: string) {
  return (await getDb()).webhookEndpoint.findUniqueOrThrow({ where: { id: endpointId } });
}
