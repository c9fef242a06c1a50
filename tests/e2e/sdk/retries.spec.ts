/**
 * Retries against the real app through a small node:http proxy in front of it, which spoils chosen
 * answers: a 429 with Retry-After before the app is reached, and a send the app accepted whose 202 the
 * client never gets (a 502 instead, or the socket destroyed). The send must happen once: the retry carries
 * the same idempotency key and the app answers it with the email it already queued.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { randomUUID } from "node:crypto";
import { ConnectionError, RateLimitError, ServerError, type CourierX, type Email } from "@courierx/node";
import { expect, test } from "../support/fixtures";
import { sdk, tenantClients } from "./clients";

interface Forwarded {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
  at: number;
  /** What the app answered (when forwarded), whatever the client got. */
  appStatus?: number;
  appBody?: string;
}

/** How the proxy treats request number n (from 0): answer a 429 itself, forward and relay, or forward and spoil the answer. */
type Plan = (n: number) => "429" | "relay" | "502-after-app" | "reset-after-app";

interface Proxy {
  url: string;
  seen: Forwarded[];
  close(): Promise<void>;
}

async function startProxy(target: string, plan: Plan): Promise<Proxy> {
  const seen: Forwarded[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", async () => {
      const entry: Forwarded = { method: req.method!, path: req.url!, headers: req.headers, body: Buffer.concat(chunks).toString("utf8"), at: Date.now() };
      const action = plan(seen.length);
      seen.push(entry);
      if (action === "429") {
        res.writeHead(429, { "content-type": "application/json", "retry-after": "1" });
        return void res.end(JSON.stringify({ error: "Rate limit exceeded" }));
      }
      const headers: Record<string, string> = {};
      for (const [key, value] of Object.entries(req.headers)) if (typeof value === "string" && !["host", "connection", "content-length"].includes(key)) headers[key] = value;
      const answer = await fetch(`${target}${req.url}`, { method: req.method, headers, body: entry.body === "" ? undefined : entry.body });
      entry.appStatus = answer.status;
      entry.appBody = await answer.text();
      if (action === "reset-after-app") return void req.socket.destroy();
      if (action === "502-after-app") {
        res.writeHead(502, { "content-type": "text/html" });
        return void res.end("<html><body>502 Bad Gateway</body></html>");
      }
      const relayed: Record<string, string> = {};
      answer.headers.forEach((value, key) => {
        if (!["content-length", "content-encoding", "transfer-encoding", "connection"].includes(key)) relayed[key] = value;
      });
      res.writeHead(answer.status, relayed);
      res.end(entry.appBody);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    close: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

const send = (client: CourierX, to: string) => client.emails.send({ from: "hello@yourapp.com", to, subject: "Retried send", html: "<p>once</p>" });

/** Every email to `to`, straight from the app (not through the proxy). */
async function emailsTo(direct: CourierX, to: string): Promise<Email[]> {
  return (await direct.emails.list({ recipient: to })).data;
}

test.describe("@courierx/node retries through a proxy", () => {
  let proxy: Proxy | undefined;
  test.afterEach(async () => {
    await proxy?.close();
    proxy = undefined;
  });

  test("a 429 with Retry-After: 1 is waited out, then the send goes through once", async ({ baseURL, clientAddress, seedTenant }) => {
    const { liveKey, live } = await tenantClients(await seedTenant({ signIn: false }), baseURL!, clientAddress);
    proxy = await startProxy(baseURL!, (n) => (n === 0 ? "429" : "relay"));
    const to = `rate-${randomUUID().slice(0, 8)}@example.com`;

    const { email, replayed } = await send(sdk(proxy.url, clientAddress, { apiKey: liveKey }), to);
    expect(email.status).toBe("queued");
    expect(replayed).toBe(false);
    expect(proxy.seen.map((s) => `${s.method} ${s.path}`)).toEqual(["POST /api/v1/emails", "POST /api/v1/emails"]);
    const [first, second] = proxy.seen;
    expect(second!.at - first!.at).toBeGreaterThanOrEqual(990);
    expect(second!.headers["idempotency-key"]).toBe(first!.headers["idempotency-key"]);
    expect(JSON.parse(second!.body).metadata.idempotency_key).toBe(first!.headers["idempotency-key"]);
    expect((await emailsTo(live, to)).map((e) => e.id)).toEqual([email.id]);
  });

  test("out of retries, the 429 reaches the caller as a RateLimitError with retryAfter", async ({ baseURL, clientAddress, seedTenant }) => {
    const { liveKey, live } = await tenantClients(await seedTenant({ signIn: false }), baseURL!, clientAddress);
    proxy = await startProxy(baseURL!, () => "429");
    const to = `limited-${randomUUID().slice(0, 8)}@example.com`;
    const error = await send(sdk(proxy.url, clientAddress, { apiKey: liveKey, maxRetries: 0 }), to).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RateLimitError);
    expect((error as RateLimitError).retryAfter).toBe(1);
    expect(proxy.seen).toHaveLength(1);
    expect(await emailsTo(live, to)).toEqual([]);
  });

  for (const spoil of ["502-after-app", "reset-after-app"] as const) {
    test(`no double send when the app accepted the send but the client got ${spoil === "502-after-app" ? "a 502" : "a destroyed socket"}`, async ({ baseURL, clientAddress, seedTenant }) => {
      const { liveKey, live } = await tenantClients(await seedTenant({ signIn: false }), baseURL!, clientAddress);
      proxy = await startProxy(baseURL!, (n) => (n === 0 ? spoil : "relay"));
      const to = `lost-${randomUUID().slice(0, 8)}@example.com`;

      const { email, replayed } = await send(sdk(proxy.url, clientAddress, { apiKey: liveKey }), to);
      const [first, second] = proxy.seen;
      expect(proxy.seen).toHaveLength(2);
      // The first attempt did reach the app and was accepted: the client just never saw that answer.
      expect(first!.appStatus).toBe(202);
      const accepted = JSON.parse(first!.appBody!) as Email;
      expect(second!.headers["idempotency-key"]).toBe(first!.headers["idempotency-key"]);
      expect(second!.appStatus).toBe(202);
      expect(email.id).toBe(accepted.id);
      expect(replayed).toBe(true);
      expect((await emailsTo(live, to)).map((e) => e.id)).toEqual([accepted.id]);
    });
  }

  test("a batch whose 202 was lost is retried with the same key: every item answered as already queued, none sent twice", async ({ baseURL, clientAddress, seedTenant }) => {
    const { liveKey, live } = await tenantClients(await seedTenant({ signIn: false }), baseURL!, clientAddress);
    proxy = await startProxy(baseURL!, (n) => (n === 0 ? "502-after-app" : "relay"));
    const tag = randomUUID().slice(0, 8);
    const recipients = [`batch-${tag}-a@example.com`, `batch-${tag}-b@example.com`];
    const { data } = await sdk(proxy.url, clientAddress, { apiKey: liveKey }).emails.sendBatch(recipients.map((to) => ({ from: "hello@yourapp.com", to, subject: "Batch retry", text: "once" })));
    expect(proxy.seen).toHaveLength(2);
    expect(proxy.seen[0]!.appStatus).toBe(202);
    const firstIds = (JSON.parse(proxy.seen[0]!.appBody!) as { data: { email: Email }[] }).data.map((r) => r.email.id);
    expect(data.map((r) => (r.status === 202 ? [r.email.id, r.replayed] : r.errors))).toEqual(firstIds.map((id) => [id, true]));
    for (const [i, to] of recipients.entries()) expect((await emailsTo(live, to)).map((e) => e.id)).toEqual([firstIds[i]]);
  });

  test("a POST that is not idempotent is not retried: the error is the caller's to handle", async ({ baseURL, clientAddress, seedTenant }) => {
    const { owner } = await tenantClients(await seedTenant({ signIn: false }), baseURL!, clientAddress);
    proxy = await startProxy(baseURL!, () => "502-after-app");
    const name = `mail-${Date.now()}.example.com`;
    const viaProxy = sdk(proxy.url, clientAddress, { apiKey: (await owner.apiKeys.create({ name: "proxy" })).key });
    const error = await viaProxy.domains.create({ domain: name }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ServerError);
    expect((error as ServerError).status).toBe(502);
    expect(proxy.seen).toHaveLength(1);
    expect((await owner.domains.list()).data.map((d) => d.domain)).toEqual([name]);
    // A GET is safe to repeat: through a proxy that only ever resets, the client tries 1 + maxRetries times.
    await proxy.close();
    proxy = await startProxy(baseURL!, () => "reset-after-app");
    const reads = sdk(proxy.url, clientAddress, { apiKey: (await owner.apiKeys.create({ name: "reads" })).key, maxRetries: 2 });
    expect(await reads.domains.list().catch((e: unknown) => e)).toBeInstanceOf(ConnectionError);
    expect(proxy.seen.map((s) => s.method)).toEqual(["GET", "GET", "GET"]);
  });
});
