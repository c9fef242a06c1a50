/**
 * A customer's webhook receiver for the e2e specs: a node:http server on 127.0.0.1 (loopback is allowed in the
 * embedded default, and the PostgreSQL e2e run sets ALLOW_LOOPBACK_OUTBOUND) that answers every POST 200 with a
 * small JSON body and keeps what it got, for the specs to verify with the `standardwebhooks` package.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";

export interface Received {
  path: string;
  headers: Record<string, string>;
  body: string;
}

export interface Receiver {
  url: string;
  requests: Received[];
  /** Resolves once `count` requests have arrived. */
  waitFor(count: number): Promise<Received[]>;
  close(): Promise<void>;
}

/** A receiver that answers every POST 200 with a small JSON body and keeps what it got. */
export async function startReceiver(): Promise<Receiver> {
  const requests: Received[] = [];
  const waiters: { count: number; resolve: () => void }[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const headers: Record<string, string> = {};
      for (const [key, value] of Object.entries(req.headers)) if (typeof value === "string") headers[key] = value;
      requests.push({ path: req.url ?? "", headers, body: Buffer.concat(chunks).toString("utf8") });
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ received: requests.length }));
      for (const w of waiters.filter((w) => requests.length >= w.count)) w.resolve();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    waitFor: (count) =>
      new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`the receiver got ${requests.length} requests, expected ${count}`)), 20_000);
        const done = () => {
          clearTimeout(timer);
          resolve(requests.slice());
        };
        if (requests.length >= count) done();
        else waiters.push({ count, resolve: done });
      }),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

