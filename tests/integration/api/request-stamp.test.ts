/**
 * The server patch over a real node:http server (the kind `next start` runs), handing requests to the real
 * route exports the way Next.js does (a Request built from the node headers, `module[req.method]`):
 * a client's forged X-Forwarded-For, X-Real-IP and even a forged copy of the peer header change nothing
 * about the address it is rate limited by, and a method Next.js would not route answers the JSON 405.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it, onTestFinished, vi } from "vitest";
import * as emails from "@/app/api/v1/emails/route";
import * as login from "@/app/api/v1/auth/login/route";
import { installRequestStamp, peerHeaderName, unroutedMethodHeaderName } from "@/server/http/request-stamp";

const routes: Record<string, Record<string, unknown>> = { "/api/v1/auth/login": login, "/api/v1/emails": emails };
type Handler = (req: Request, ctx: { params: Promise<Record<string, string>> }) => Promise<Response>;

let server: http.Server;
let base: string;

beforeAll(async () => {
  installRequestStamp();
  server = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    if (req.url === "/api/headers") {
      res.setHeader("content-type", "application/json");
      res.end(JSON.stringify({ method: req.method, headers: req.headers }));
      return;
    }
    const handler = routes[req.url!]?.[req.method!] as Handler | undefined;
    if (!handler) {
      res.writeHead(599).end();
      return;
    }
    const headers = new Headers();
    for (const [name, value] of Object.entries(req.headers)) if (typeof value === "string") headers.set(name, value);
    const body = chunks.length && req.method !== "OPTIONS" ? Buffer.concat(chunks) : undefined;
    const response = await handler(new Request(`http://localhost${req.url}`, { method: req.method, headers, body }), { params: Promise.resolve({}) });
    res.writeHead(response.status, Object.fromEntries(response.headers));
    res.end(await response.text());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

/** A raw request (fetch refuses TRACE and friends). */
function raw(method: string, path: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(`${base}${path}`, { method, headers }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (c: string) => (body += c));
      res.on("end", () => resolve({ status: res.statusCode!, headers: res.headers, body }));
    });
    req.on("error", reject);
    req.end();
  });
}

describe("request stamp", () => {
  it("writes the real socket peer under a name no client can know in advance, over any forged copy", async () => {
    const name = peerHeaderName();
    expect(name).toMatch(/^x-courierx-peer-[0-9a-f]{24}$/);
    const res = await fetch(`${base}/api/headers`, { headers: { [name]: "203.0.113.9", "x-forwarded-for": "203.0.113.10", "x-courierx-peer": "203.0.113.11", [unroutedMethodHeaderName()]: "TRACE" } });
    const seen = (await res.json()) as { method: string; headers: Record<string, string> };
    expect(seen.method).toBe("GET");
    expect(seen.headers[name]).toBe("127.0.0.1");
    expect(seen.headers[unroutedMethodHeaderName()]).toBeUndefined();
    expect(seen.headers["x-forwarded-for"]).toBe("203.0.113.10");
  });

  it("rate limits a client by its socket, whatever it forges: the 31st login in a minute is a 429", async () => {
    // A clock frozen mid-minute: the one-minute window cannot end halfway.
    vi.useFakeTimers({ toFake: ["Date"], now: Math.floor(Date.now() / 60_000) * 60_000 + 30_000 });
    onTestFinished(() => {
      vi.useRealTimers();
    });
    const statuses: number[] = [];
    for (let i = 0; i < 31; i++) {
      const res = await fetch(`${base}/api/v1/auth/login`, {
        method: "POST",
        headers: { "content-type": "application/json", "x-forwarded-for": `198.51.100.${i}`, "x-real-ip": `198.51.100.${i}`, [peerHeaderName()]: `198.51.100.${i}` },
        // A blank password: a quick 422 (the address is counted before validation), no password hashing.
        body: JSON.stringify({ email: `peer-${i}@example.com`, password: "" }),
      });
      statuses.push(res.status);
    }
    expect(statuses.slice(0, 30)).toEqual(Array(30).fill(422));
    expect(statuses[30]).toBe(429);
  });

  it("answers methods Next.js does not route with the route's JSON 405 and Allow, and leaves OPTIONS alone", async () => {
    for (const method of ["TRACE", "PROPFIND", "PURGE", "MKCOL", "SEARCH"]) {
      const res = await raw(method, "/api/v1/emails");
      expect(res.status, method).toBe(405);
      expect(res.headers.allow, method).toBe("GET, HEAD, OPTIONS, POST");
      expect(JSON.parse(res.body), method).toEqual({ error: "Method not allowed" });
    }
    const options = await raw("OPTIONS", "/api/v1/emails");
    expect(options.status).toBe(204);
    expect(options.headers.allow).toBe("GET, HEAD, OPTIONS, POST");
    // Outside /api/ the patch changes nothing.
    expect((await raw("TRACE", "/elsewhere")).status).toBe(599);
  });
});
