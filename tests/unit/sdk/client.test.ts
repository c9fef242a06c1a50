/**
 * The client's HTTP behaviour against a local node:http server that answers from a script: retries (which
 * requests, how long apart, with which idempotency key), the typed errors, the request mapping and
 * pagination. The e2e specs (tests/e2e/sdk) run the same client against the real app.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { CourierX } from "@/sdk/node/src/client";
import { AuthenticationError, ConflictError, ConnectionError, NotFoundError, PermissionError, RateLimitError, ServerError, ValidationError } from "@/sdk/node/src/errors";

interface Seen {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
  at: number;
}

type Step = { status: number; headers?: Record<string, string>; body?: unknown } | "reset" | "hang";

let server: http.Server;
let baseUrl: string;
let script: Step[] = [];
let seen: Seen[] = [];

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      seen.push({ method: req.method!, url: req.url!, headers: req.headers, body: Buffer.concat(chunks).toString("utf8"), at: Date.now() });
      const step = script.shift() ?? { status: 200, body: {} };
      if (step === "reset") return void req.socket.destroy();
      if (step === "hang") return;
      res.writeHead(step.status, { "content-type": "application/json", ...step.headers });
      res.end(step.body === undefined ? undefined : JSON.stringify(step.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => {
  server.closeAllConnections();
  return new Promise<void>((resolve) => server.close(() => resolve()));
});

beforeEach(() => {
  script = [];
  seen = [];
});

const client = (options: { maxRetries?: number; timeoutMs?: number } = {}) => new CourierX({ apiKey: "cxk_test_abc", baseUrl, ...options });
const email = { id: "e1", status: "queued", warnings: [] };
const sendParams = { from: "hello@yourapp.com", to: "user@example.com", subject: "Hi", html: "<p>Hi</p>" };

async function caught(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error("expected a rejection");
}

describe("requests", () => {
  it("maps the send's camelCase fields to the API's, with the key as Bearer and a generated idempotency key", async () => {
    script = [{ status: 202, body: email, headers: { "x-request-id": "req-1" } }];
    const { email: sent, replayed, warnings } = await client().emails.send({
      ...sendParams,
      text: "Hi",
      fromName: "Your App",
      toName: "Alice",
      replyTo: "support@yourapp.com",
      tags: ["welcome"],
      metadata: { user_id: "usr_123" },
      attachments: [{ filename: "a.txt", content: Buffer.from("hello"), contentType: "text/plain" }, { filename: "b.bin", content: "AAEC" }],
      headers: { "X-Campaign": "spring" },
    });
    expect(sent).toEqual({ id: "e1", status: "queued" });
    expect({ replayed, warnings }).toEqual({ replayed: false, warnings: [] });
    const [request] = seen;
    expect(request!.method).toBe("POST");
    expect(request!.url).toBe("/api/v1/emails");
    expect(request!.headers.authorization).toBe("Bearer cxk_test_abc");
    expect(request!.headers["content-type"]).toBe("application/json");
    const key = request!.headers["idempotency-key"] as string;
    expect(key).toMatch(/^[0-9a-f-]{36}$/);
    expect(JSON.parse(request!.body)).toEqual({
      from_email: "hello@yourapp.com",
      from_name: "Your App",
      to_email: "user@example.com",
      to_name: "Alice",
      reply_to: "support@yourapp.com",
      subject: "Hi",
      html_body: "<p>Hi</p>",
      text_body: "Hi",
      tags: ["welcome"],
      metadata: { user_id: "usr_123", idempotency_key: key },
      headers: { "X-Campaign": "spring" },
      attachments: [
        { filename: "a.txt", content: Buffer.from("hello").toString("base64"), content_type: "text/plain" },
        { filename: "b.bin", content: "AAEC" },
      ],
    });
  });

  it("uses the caller's idempotency key (option or metadata) and reports a replay", async () => {
    script = [{ status: 202, body: email, headers: { "idempotent-replayed": "true" } }, { status: 202, body: email }];
    expect((await client().emails.send({ ...sendParams, idempotencyKey: "order-1234" })).replayed).toBe(true);
    await client().emails.send({ ...sendParams, metadata: { idempotency_key: "order-5678" } });
    expect(seen.map((s) => [s.headers["idempotency-key"], JSON.parse(s.body).metadata.idempotency_key])).toEqual([
      ["order-1234", "order-1234"],
      ["order-5678", "order-5678"],
    ]);
  });

  it("maps scheduledAt, and sends a batch with one batch key, items' own keys kept, retried with the same body", async () => {
    script = [{ status: 202, body: email }];
    await client().emails.send({ ...sendParams, scheduledAt: new Date("2026-12-24T09:00:00Z") });
    expect(JSON.parse(seen[0]!.body).scheduled_at).toBe("2026-12-24T09:00:00.000Z");

    // Overrides are each provider's own field names: sent exactly as written, camelCase included.
    seen = [];
    script = [{ status: 202, body: email }];
    const providerOverrides = { postmark: { body: { MessageStream: "outbound", TrackOpens: true } }, smtp: { body: { priority: "high" }, config: { host: "relay.example.com", port: 2525, requireTLS: true, auth: { user: "u", pass: "p" } } } };
    await client().emails.send({ ...sendParams, providerOverrides, routing: { connections: ["smtp"] }, unsubscribe: true });
    expect(JSON.parse(seen[0]!.body)).toMatchObject({ provider_overrides: providerOverrides, routing: { connections: ["smtp"] }, unsubscribe: true });

    seen = [];
    const results = { data: [{ index: 0, status: 202, replayed: false, email }, { index: 1, status: 422, errors: ["to_email is not a valid email address"] }] };
    script = [{ status: 503, body: { error: "down" } }, { status: 202, body: results }];
    const answer = await client().emails.sendBatch([{ ...sendParams, scheduledAt: "2026-12-24T09:00:00Z" }, { ...sendParams, to: "nope", idempotencyKey: "own-1" }]);
    expect(answer).toEqual(results);
    expect(seen.map((s) => s.url)).toEqual(["/api/v1/emails/batch", "/api/v1/emails/batch"]);
    const key = seen[0]!.headers["idempotency-key"];
    expect(key).toMatch(/^[0-9a-f-]{36}$/);
    expect(seen[1]!.headers["idempotency-key"]).toBe(key);
    expect(seen[1]!.body).toBe(seen[0]!.body);
    const [first, second] = JSON.parse(seen[0]!.body).emails;
    // The server keys an item without its own key as <batch key>:<index>.
    expect(first.metadata).toBeUndefined();
    expect(first.scheduled_at).toBe("2026-12-24T09:00:00Z");
    expect(second.metadata).toEqual({ idempotency_key: "own-1" });

    seen = [];
    script = [{ status: 409, body: { error: "Email already sent" } }];
    expect(await caught(client().emails.cancel("e1"))).toBeInstanceOf(ConflictError);
    expect(seen.map((s) => `${s.method} ${s.url}`)).toEqual(["POST /api/v1/emails/e1/cancel"]);
  });

  it("maps list filters and page parameters to the query, and reads the pagination headers", async () => {
    const pageHeaders = { "x-total-count": "5", "x-page": "2", "x-per-page": "2" };
    script = [{ status: 200, body: [{ id: "a" }, { id: "b" }], headers: pageHeaders }];
    const page = await client().emails.list({ status: "delivered", recipient: "alice", from: new Date("2026-03-01T00:00:00Z"), to: "2026-03-22", test: false, page: 2, perPage: 2 });
    expect(page).toEqual({ data: [{ id: "a" }, { id: "b" }], pagination: { page: 2, perPage: 2, total: 5, totalPages: 3 } });
    const query = new URL(seen[0]!.url, baseUrl).searchParams;
    expect(Object.fromEntries(query)).toEqual({ status: "delivered", recipient: "alice", from: "2026-03-01T00:00:00.000Z", to: "2026-03-22", test: "false", page: "2", per_page: "2" });
  });

  it("listAll walks every page and stops after the last", async () => {
    const headers = (page: number) => ({ "x-total-count": "5", "x-page": String(page), "x-per-page": "2" });
    script = [
      { status: 200, body: [{ id: "1" }, { id: "2" }], headers: headers(1) },
      { status: 200, body: [{ id: "3" }, { id: "4" }], headers: headers(2) },
      { status: 200, body: [{ id: "5" }], headers: headers(3) },
    ];
    const ids: string[] = [];
    for await (const e of client().emails.listAll({ perPage: 2 })) ids.push(e.id);
    expect(ids).toEqual(["1", "2", "3", "4", "5"]);
    expect(seen.map((s) => new URL(s.url, baseUrl).searchParams.get("page"))).toEqual(["1", "2", "3"]);
  });

  it("maps camelCase configuration to snake_case, nested too, and exposes a created key as key.key", async () => {
    script = [{ status: 201, body: { id: "c1" } }, { status: 201, body: { id: "r1" } }, { status: 201, body: { id: "k1", raw_key: "cxk_live_raw" } }];
    const cx = client();
    await cx.providerConnections.create({ provider: "smtp", displayName: "Relay", smtpHost: "smtp.example.com", smtpPort: 587, requireTls: true, tlsRejectUnauthorized: false, apiKey: "u", secret: "p" });
    await cx.routingRules.create({ name: "Marketing", conditions: { fromDomains: ["news.example.com"] }, strategy: "weighted", providers: [{ connectionId: "c1", weight: 3 }] });
    const key = await cx.apiKeys.create({ name: "Staging" });
    expect(JSON.parse(seen[0]!.body)).toEqual({ provider: "smtp", display_name: "Relay", smtp_host: "smtp.example.com", smtp_port: 587, require_tls: true, tls_reject_unauthorized: false, api_key: "u", secret: "p" });
    expect(JSON.parse(seen[1]!.body)).toEqual({ name: "Marketing", conditions: { from_domains: ["news.example.com"] }, strategy: "weighted", providers: [{ connection_id: "c1", weight: 3 }] });
    expect(key).toMatchObject({ key: "cxk_live_raw", raw_key: "cxk_live_raw" });
  });

  it("escapes ids in paths", async () => {
    script = [{ status: 404, body: { error: "Not found" } }];
    await caught(client({ maxRetries: 0 }).domains.get("../api_keys"));
    expect(seen[0]!.url).toBe("/api/v1/domains/..%2Fapi_keys");
  });
});

describe("errors", () => {
  it("maps each status to its class, with the server's messages, status and request id", async () => {
    const cases = [
      [422, { errors: ["to_email is not a valid email address", "subject can't be blank"] }, ValidationError],
      [401, { error: "Unauthorized" }, AuthenticationError],
      [403, { error: "Test keys cannot change configuration" }, PermissionError],
      [404, { error: "Not found" }, NotFoundError],
      [409, { error: "Email already sent" }, ConflictError],
    ] as const;
    for (const [status, body, type] of cases) {
      script = [{ status, body, headers: { "x-request-id": `req-${status}` } }];
      const error = await caught(client().domains.create({ domain: "mail.example.com" }));
      expect(error, String(status)).toBeInstanceOf(type);
      expect(error).toMatchObject({ status, requestId: `req-${status}`, errors: "errors" in body ? body.errors : [body.error], body });
      expect(error.message).toBe("errors" in body ? body.errors.join("; ") : body.error);
    }
  });
});

describe("retries", () => {
  it("waits the Retry-After of a 429, then sends the same idempotency key again", async () => {
    script = [{ status: 429, body: { error: "Rate limit exceeded" }, headers: { "retry-after": "1" } }, { status: 202, body: email }];
    const started = Date.now();
    expect((await client().emails.send(sendParams)).email.id).toBe("e1");
    expect(seen).toHaveLength(2);
    expect(seen[1]!.at - seen[0]!.at).toBeGreaterThanOrEqual(990);
    expect(Date.now() - started).toBeLessThan(3000);
    expect(seen[1]!.headers["idempotency-key"]).toBe(seen[0]!.headers["idempotency-key"]);
    expect(seen[1]!.body).toBe(seen[0]!.body);
  });

  it("retries 5xx and dropped connections for GETs up to maxRetries, then throws the last error", async () => {
    script = [{ status: 503, body: { error: "Service unavailable" } }, "reset", { status: 200, body: { id: "d1" } }];
    expect((await client().domains.get("d1")).id).toBe("d1");
    expect(seen).toHaveLength(3);

    seen = [];
    script = [{ status: 500, body: { error: "Internal server error" } }, { status: 502 }, { status: 503, body: { error: "down" }, headers: { "x-request-id": "req-last" } }];
    const error = await caught(client().domains.get("d1"));
    expect(error).toBeInstanceOf(ServerError);
    expect(error).toMatchObject({ status: 503, requestId: "req-last", errors: ["down"] });
    expect(seen).toHaveLength(3);

    seen = [];
    script = ["reset"];
    const dropped = await caught(client({ maxRetries: 0 }).domains.get("d1"));
    expect(dropped).toBeInstanceOf(ConnectionError);
    expect((dropped as ConnectionError).status).toBeUndefined();
    expect(seen).toHaveLength(1);
  });

  it("never retries a POST that is not idempotent", async () => {
    script = [{ status: 502 }, { status: 201, body: { id: "d1" } }];
    expect(await caught(client().domains.create({ domain: "mail.example.com" }))).toBeInstanceOf(ServerError);
    script = ["reset"];
    expect(await caught(client().domains.verify("d1"))).toBeInstanceOf(ConnectionError);
    expect(seen).toHaveLength(2);
  });

  it("does not retry 4xx other than 429", async () => {
    script = [{ status: 404, body: { error: "Not found" } }];
    expect(await caught(client().emails.get("e1"))).toBeInstanceOf(NotFoundError);
    expect(seen).toHaveLength(1);
  });

  it("surfaces a 429 with retryAfter when out of retries or when the wait is too long", async () => {
    script = [{ status: 429, body: { error: "Rate limit exceeded" }, headers: { "retry-after": "7" } }];
    const error = await caught(client({ maxRetries: 0 }).emails.list());
    expect(error).toBeInstanceOf(RateLimitError);
    expect((error as RateLimitError).retryAfter).toBe(7);

    seen = [];
    script = [{ status: 429, body: { error: "Rate limit exceeded" }, headers: { "retry-after": "120" } }];
    expect(((await caught(client().emails.list())) as RateLimitError).retryAfter).toBe(120);
    expect(seen).toHaveLength(1);
  });

  it("times out an attempt that gets no answer, and retries it when safe", async () => {
    script = ["hang", { status: 200, body: { id: "d1" } }];
    expect((await client({ timeoutMs: 300 }).domains.get("d1")).id).toBe("d1");
    script = ["hang"];
    const error = await caught(client({ timeoutMs: 300, maxRetries: 0 }).domains.get("d1"));
    expect(error).toBeInstanceOf(ConnectionError);
    expect(error.message).toBe("No answer within 300 ms");
  });

  it("counts a retried DELETE that finds nothing as done: the first attempt deleted", async () => {
    script = [{ status: 502 }, { status: 404, body: { error: "Not found" } }];
    await expect(client().suppressions.delete("s1")).resolves.toBeUndefined();
    expect(seen.map((s) => s.method)).toEqual(["DELETE", "DELETE"]);
    // A first attempt's 404 is a real one.
    script = [{ status: 404, body: { error: "Not found" } }];
    expect(await caught(client().suppressions.delete("s1"))).toBeInstanceOf(NotFoundError);
  });
});
